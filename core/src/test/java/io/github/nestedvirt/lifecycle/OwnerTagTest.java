package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.topology.OwnerTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerTagTest {

    @TempDir
    Path temp;

    @Test
    void readsTheTagOfTheAgreedFormat() {
        String xml = """
                <domain type='qemu'>
                  <name>nvmx-l1</name>
                  <metadata>
                    <other:thing xmlns:other="urn:someone:else" run="not-this"/>
                    <nvmx:owner xmlns:nvmx="urn:nested-virt:owner:1" run="20261125-140000-ab12" pid="1234" host="lab-l0" created="2026-11-25T14:00:00Z" expires="2026-11-26T14:00:00Z"/>
                  </metadata>
                </domain>
                """;

        assertThat(OwnerTag.fromDomainXml(xml)).contains(new OwnerTag("20261125-140000-ab12", 1234, "lab-l0",
                Instant.parse("2026-11-25T14:00:00Z"), Instant.parse("2026-11-26T14:00:00Z")));
    }

    @Test
    void valuesWithMarkupSurviveTheRoundTrip() {
        OwnerTag tag = new OwnerTag("r\"<&'>", 7, "h<o>st&", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z"));

        assertThat(OwnerTag.fromDomainXml(TestDomains.xml("test", "d", tag))).contains(tag);
    }

    @Test
    void aDomainWithoutTagOrWithAnotherNamespaceIsNotOurs() {
        assertThat(OwnerTag.fromDomainXml(TestDomains.xml("test", "d", null))).isEmpty();
        assertThat(OwnerTag.fromDomainXml("""
                <domain><metadata><nvmx:owner xmlns:nvmx="urn:nested-virt:owner:2" run="r" pid="1" host="h"
                created="2026-11-25T14:00:00Z" expires="2026-11-26T14:00:00Z"/></metadata></domain>
                """)).isEmpty();
    }

    @Test
    void aDamagedTagIsNotTrusted() {
        assertThat(OwnerTag.fromDomainXml("""
                <domain><metadata><nvmx:owner xmlns:nvmx="urn:nested-virt:owner:1" run="r" pid="many" host="h"
                created="2026-11-25T14:00:00Z" expires="2026-11-26T14:00:00Z"/></metadata></domain>
                """)).isEmpty();
        assertThat(OwnerTag.fromDomainXml("""
                <domain><metadata><nvmx:owner xmlns:nvmx="urn:nested-virt:owner:1" run="r" pid="1" host="h"
                created="yesterday" expires="2026-11-26T14:00:00Z"/></metadata></domain>
                """)).isEmpty();
        assertThat(OwnerTag.fromDomainXml("<domain><metadata>")).isEmpty();
    }

    @Test
    void externalEntitiesAreNeverRead() throws Exception {
        Path secret = temp.resolve("secret");
        Files.writeString(secret, "s3cret");
        String xml = "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>"
                + "<domain><metadata><nvmx:owner xmlns:nvmx='urn:nested-virt:owner:1' run='&x;' pid='1' host='h'"
                + " created='2026-11-25T14:00:00Z' expires='2026-11-26T14:00:00Z'/></metadata></domain>";

        assertThat(OwnerTag.fromDomainXml(xml)).isEmpty();
    }

    @Test
    void thisProcessOwnsWhatItTagsNow() {
        OwnerTag tag = OwnerTag.forThisProcess("r1", Duration.ofHours(2));

        assertThat(tag.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(tag.host()).isNotBlank();
        assertThat(Duration.between(tag.created(), tag.expires())).isEqualTo(Duration.ofHours(2));
    }
}
