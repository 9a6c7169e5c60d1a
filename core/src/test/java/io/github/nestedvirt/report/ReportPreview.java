package io.github.nestedvirt.report;

import java.nio.file.Path;
import java.util.List;

/** Writes a sample report to the path given, to look at it in a browser. */
public final class ReportPreview {

    private ReportPreview() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        HtmlReport.write(SyntheticRuns.create(runs, 42), List.of("results/broken/result.json: not JSON"),
                Path.of(args[0]));
    }
}
