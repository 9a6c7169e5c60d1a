package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's help renders as written: picocli formats it with String.format, so a bare '%' breaks it. */
class HelpTextTest {

    @Test
    void everyCommandsHelpFormatsWithoutAPicocliWarning() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new Nvmx()), commands);
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        StringWriter help = new StringWriter();
        try {
            // picocli's tracer writes its WARN lines to System.err itself
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            for (CommandLine command : commands) {
                command.usage(new PrintWriter(help));
            }
        } finally {
            System.setErr(stderr);
        }

        assertThat(commands).hasSizeGreaterThan(10);
        assertThat(warnings.toString(StandardCharsets.UTF_8)).as("picocli warnings").isEmpty();
        assertThat(help.toString()).contains("95% interval").contains("2.5% or more");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
