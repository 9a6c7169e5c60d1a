package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connection wrapper against libvirt's in-process test driver: no daemon, real libvirt. */
class LibvirtSessionTest {

    private static final String URI = "test:///default";

    private LibvirtSession session;
    private final String name = "nvmx-session-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void open() throws Exception {
        session = LibvirtSession.open(URI);
    }

    @AfterEach
    void close() throws Exception {
        LibvirtSession cleanup = LibvirtSession.open(URI);
        try (cleanup) {
            if (cleanup.find(name).isPresent()) {
                try (LibvirtDomain domain = cleanup.find(name).get()) {
                    domain.destroy();
                    domain.undefine();
                }
            }
        }
        session.close();
    }

    static String testDomainXml(String name) {
        return "<domain type='test'><name>" + name + "</name><memory unit='MiB'>64</memory>"
                + "<os><type>hvm</type></os>"
                + "<devices><interface type='network'><source network='default'/></interface></devices></domain>";
    }

    @Test
    void definesStartsStopsAndUndefinesADomain() throws Exception {
        try (LibvirtDomain domain = session.define(testDomainXml(name))) {
            assertThat(domain.name()).isEqualTo(name);
            assertThat(domain.isActive()).isFalse();
            assertThat(session.domainNames()).contains(name);

            domain.start();
            assertThat(domain.isActive()).isTrue();
            assertThat(domain.xml()).contains("<name>" + name + "</name>");
            assertThat(session.domainNames()).contains(name);

            domain.destroy();
            assertThat(domain.isActive()).isFalse();
            domain.destroy(); // a stopped domain: nothing to do, no error
            domain.undefine();
        }
        assertThat(session.find(name)).isEmpty();
        assertThat(session.domainNames()).doesNotContain(name);
    }

    @Test
    void invalidXmlIsAnErrorNamingTheUriAndTheOperation() {
        assertThatThrownBy(() -> session.define("<domain type='test'><name>broken"))
                .isInstanceOf(LibvirtFailedException.class)
                .hasMessageStartingWith(URI + ": define domain failed: ")
                .satisfies(e -> {
                    LibvirtFailedException failure = (LibvirtFailedException) e;
                    assertThat(failure.uri()).isEqualTo(URI);
                    assertThat(failure.operation()).isEqualTo("define domain");
                    assertThat(failure.errorNumber()).isNotNull();
                });
    }

    @Test
    void startingARunningDomainNamesTheDomain() throws Exception {
        try (LibvirtDomain domain = session.define(testDomainXml(name))) {
            domain.start();
            assertThatThrownBy(domain::start)
                    .isInstanceOf(LibvirtFailedException.class)
                    .hasMessageContaining(URI + ": start domain '" + name + "' failed: ")
                    .hasMessageContaining("already running");
        }
    }

    @Test
    void aMissingDomainIsEmptyNotAnError() throws Exception {
        assertThat(session.find(name)).isEmpty();
    }

    @Test
    void anUnknownUriIsAConnectError() {
        String bad = "nosuchdriver:///system";
        assertThatThrownBy(() -> LibvirtSession.open(bad))
                .isInstanceOf(LibvirtFailedException.class)
                .hasMessageStartingWith(bad + ": connect failed: ");
    }

    @Test
    void aClosedSessionSaysSo() throws Exception {
        LibvirtSession other = LibvirtSession.open(URI);
        other.close();
        other.close(); // twice: nothing happens
        assertThatThrownBy(other::domainNames)
                .isInstanceOf(LibvirtFailedException.class)
                .hasMessage(URI + ": list defined domains failed: the connection is already closed");
    }
}
