package io.github.nestedvirt.provision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.AtomicFile;
import io.github.nestedvirt.result.ResultJson;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The guests of a run that are up, what benchmarks run against. Written to
 * {@code RUN_DIR/provisioned.json} once every guest answers SSH, so that the CLI and the Jenkins
 * plugin find the guests of a run again.
 *
 * @param run the run id (the run directory's name)
 * @param l0 a remote L0, the jump host to its L1s; null when L0 is the machine the engine runs on
 * @param guests every guest, in the order of the topology
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionedTopology(String run, ProvisionedGuest l0, List<ProvisionedGuest> guests) {

    /** The file's name inside a run directory. */
    public static final String FILE_NAME = "provisioned.json";

    @JsonCreator
    public ProvisionedTopology {
        guests = List.copyOf(guests);
    }

    /** The guests of a run on the machine the engine runs on. */
    public ProvisionedTopology(String run, List<ProvisionedGuest> guests) {
        this(run, null, guests);
    }

    /** The guest of that name. */
    public ProvisionedGuest guest(String name) {
        return guests.stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("run " + run + " has no guest named " + name));
    }

    /**
     * How to reach guest {@code name} from the engine: directly, or through the guests named by
     * {@code via} (an L2's L1), and an L1 through a remote {@link #l0}.
     */
    public SshTarget sshTarget(String name) {
        ProvisionedGuest guest = guest(name);
        SshTarget target = guest.directTarget();
        if (guest.via() != null) {
            return target.withVia(sshTarget(guest.via()));
        }
        return l0 == null || guest.level() != Level.L1 ? target : target.withVia(l0.directTarget());
    }

    /** Writes {@code runDir/provisioned.json} atomically. */
    public void write(Path runDir) throws IOException {
        AtomicFile.write(runDir.resolve(FILE_NAME), ResultJson.mapper().writeValueAsBytes(this));
    }

    /** Reads {@code runDir/provisioned.json}; a missing file is an error saying what it means. */
    public static ProvisionedTopology read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        try {
            return ResultJson.mapper().readValue(file.toFile(), ProvisionedTopology.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NoSuchFileException(file + ": no provisioned guests in " + runDir
                    + "; run 'nvmx provision TOPOLOGY --run-dir " + runDir + "' first");
        }
    }
}
