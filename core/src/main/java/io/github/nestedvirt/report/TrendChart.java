package io.github.nestedvirt.report;

import edu.hm.hafner.echarts.line.LinesChartModel;

/**
 * One chart of the report, ready to be serialized for the page's script.
 *
 * @param id the element id of the chart in the page
 * @param title the chart's title
 * @param unit the unit of the range axis
 * @param model the lines, one value per run (null where a run has no value)
 */
public record TrendChart(String id, String title, String unit, LinesChartModel model) {
}
