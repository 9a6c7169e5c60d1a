package io.jenkins.plugins.nestedvirt.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The build page shows whatever lists and values the engine's page model holds. */
class PageTableTest {

    record Row(String benchmark, String level, int n, double median, double low, double high) {
    }

    record Model(List<Row> measurements, List<Row> levelRatios, List<String> kutTests, String runId) {
    }

    @Test
    void everyNonEmptyListIsATableAndSingleValuesAreTheOverview() {
        Model model = new Model(List.of(new Row("kernel-build", "L1", 3, 70.04, 61.4, 79.9)), List.of(),
                List.of("vmx", "vmx_controls"), "20260101-000000-abcdef");

        List<PageTable> tables = PageTable.of(model);

        assertEquals(List.of("Measurements", "Kut tests", "Overview"), tables.stream().map(PageTable::title).toList());
        PageTable measurements = tables.get(0);
        assertEquals(List.of("benchmark", "level", "n", "median", "low", "high"), measurements.columns());
        assertEquals(List.of(List.of("kernel-build", "L1", "3", "70.04", "61.40", "79.90")), measurements.rows());
        assertEquals(List.of(List.of("vmx"), List.of("vmx_controls")), tables.get(1).rows());
        assertEquals(List.of(List.of("Run id", "20260101-000000-abcdef")), tables.get(2).rows());
    }

    @Test
    void propertyNamesBecomeWords() {
        assertEquals("Level ratios", PageTable.words("levelRatios"));
        assertEquals("Kvm stat exits", PageTable.words("kvmStatExits"));
    }
}
