package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunIdTest {

    @Test
    void startsWithTheUtcStartTime() {
        String id = RunId.next(Instant.parse("2025-01-31T23:59:58.900Z"));

        assertThat(id).startsWith("20250131-235958-").hasSize(22);
        assertThat(RunId.isValid(id)).isTrue();
    }

    @Test
    void sortsByStartTimeAsPlainText() {
        String earlier = RunId.next(Instant.parse("2025-01-31T09:59:59Z"));
        String later = RunId.next(Instant.parse("2025-01-31T10:00:00Z"));
        String nextYear = RunId.next(Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(earlier).isLessThan(later);
        assertThat(later).isLessThan(nextYear);
    }

    @Test
    void runsStartedInTheSameSecondGetDifferentIds() {
        Instant start = Instant.parse("2025-01-31T12:00:00Z");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(RunId.next(start));
        }
        // 24 random bits: a clash among 50 is rare (about 1 in 13000), many clashes mean no randomness
        assertThat(ids).hasSizeGreaterThan(45);
    }

    @Test
    void isASingleSafeDirectoryName() {
        String id = RunId.next(Instant.now());

        assertThat(Path.of(id).getNameCount()).isEqualTo(1);
        assertThat(id).matches("[0-9a-f-]+");
    }

    @Test
    void somethingElseIsRefusedByName() {
        assertThat(RunId.isValid(null)).isFalse();
        assertThat(RunId.isValid("20250131-120000-3FA9C1")).isFalse();
        assertThatThrownBy(() -> RunId.requireValid("../x")).hasMessageContaining("run id").hasMessageContaining("'../x'");
    }
}
