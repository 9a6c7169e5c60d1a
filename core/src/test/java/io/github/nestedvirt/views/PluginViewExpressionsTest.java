package io.github.nestedvirt.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jenkins plugin's Jelly views name only properties their objects have, as Jelly reads them (bean
 * getters; see {@link ViewExpressions}). The plugin is not compiled on our machines, so its classes are
 * read from their sources; the engine classes its views reach are read by reflection.
 */
class PluginViewExpressionsTest {

    private static final Path PLUGIN_SOURCES = Path.of("../plugin/src/main/java");
    private static final Path PLUGIN_VIEWS = Path.of("../plugin/src/main/resources");

    @TempDir
    Path dir;

    @Test
    void everyViewExpressionOfThePluginNamesAGetterItsObjectHas() throws Exception {
        ViewExpressions views = new ViewExpressions(PLUGIN_SOURCES, PLUGIN_VIEWS);
        List<Path> jellies;
        try (Stream<Path> files = Files.walk(PLUGIN_VIEWS)) {
            jellies = files.filter(f -> f.toString().endsWith(".jelly")).sorted().toList();
        }
        for (Path jelly : jellies) {
            views.check(jelly);
        }

        assertThat(jellies).hasSizeGreaterThanOrEqualTo(9);
        assertThat(views.problems()).as("view expressions Jelly cannot read").isEmpty();
        // the ones that rendered empty while their objects were records, now read through getters
        assertThat(views.verified()).contains(
                "io/jenkins/plugins/nestedvirt/results/NestedVirtViewModel/index.jelly: table.title",
                "io/jenkins/plugins/nestedvirt/results/NestedVirtViewModel/index.jelly: table.columns",
                "io/jenkins/plugins/nestedvirt/results/NestedVirtViewModel/index.jelly: table.rows",
                "io/jenkins/plugins/nestedvirt/builders/EngineBuilder/config.jelly: parameter.name",
                "io/jenkins/plugins/nestedvirt/builders/EngineBuilder/config.jelly: parameter.required",
                "io/jenkins/plugins/nestedvirt/steps/EngineStep/config.jelly: parameter.help",
                "io/jenkins/plugins/nestedvirt/results/NestedVirtBuildAction/summary.jelly: it.summary.metrics.size()",
                "io/jenkins/plugins/nestedvirt/config/L0Host/config.jelly: doFillCredentialsIdItems",
                "io/jenkins/plugins/nestedvirt/config/L0Host/config.jelly: doTestConnection");
        System.out.println("Checked " + views.verified().size() + " view expressions and form bindings in "
                + jellies.size() + " views; not checkable here (Jenkins' own classes):");
        views.unverified().forEach(line -> System.out.println("  " + line));
    }

    @Test
    void aRecordsAccessorAMissingGetterAndAMissingFillMethodAreEachReported() throws Exception {
        Path sources = dir.resolve("java/io/jenkins/plugins/nestedvirt/demo");
        Files.createDirectories(sources);
        Files.writeString(sources.resolve("Row.java"), """
                package io.jenkins.plugins.nestedvirt.demo;

                public record Row(String title) {
                }
                """);
        Files.writeString(sources.resolve("Page.java"), """
                package io.jenkins.plugins.nestedvirt.demo;

                import io.github.nestedvirt.steps.StepParameter;
                import java.util.List;

                public final class Page {
                    public List<Row> getRows() {
                        return List.of();
                    }

                    public List<StepParameter> getParameters() {
                        return List.of();
                    }

                    public String getName() {
                        return "";
                    }
                }
                """);
        Path views = dir.resolve("resources/io/jenkins/plugins/nestedvirt/demo/Page");
        Files.createDirectories(views);
        Path jelly = Files.writeString(views.resolve("index.jelly"), """
                <?jelly escape-by-default='true'?>
                <j:jelly xmlns:j="jelly:core" xmlns:f="/lib/form">
                  <j:forEach var="row" items="${it.rows}">
                    <td>${row.title}</td>
                  </j:forEach>
                  <j:forEach var="p" items="${it.parameters}">
                    <td title="${p.name}">${p.helpText}</td>
                  </j:forEach>
                  <f:entry field="name"><f:select field="name"/></f:entry>
                  <f:entry field="label"/>
                  <p>${it.nmae} ${rwo.title}</p>
                </j:jelly>
                """);

        ViewExpressions checker = new ViewExpressions(dir.resolve("java"), dir.resolve("resources"));
        checker.check(jelly);

        String view = "io/jenkins/plugins/nestedvirt/demo/Page/index.jelly";
        assertThat(checker.problems()).containsExactlyInAnyOrder(
                view + ": ${row.title}: io.jenkins.plugins.nestedvirt.demo.Row has no getTitle() or isTitle() (a "
                        + "record's title() is not read by Jelly)",
                view + ": ${p.helpText}: io.github.nestedvirt.steps.StepParameter has no getHelpText() or "
                        + "isHelpText() (a record's helpText() is not read by Jelly)",
                view + ": <f:select>: io.jenkins.plugins.nestedvirt.demo.Page declares no doFillNameItems(...)",
                view + ": <f:entry field=\"label\">: io.jenkins.plugins.nestedvirt.demo.Page has no getLabel() or "
                        + "public field label to fill the form from",
                view + ": ${it.nmae}: io.jenkins.plugins.nestedvirt.demo.Page has no getNmae() or isNmae() (a "
                        + "record's nmae() is not read by Jelly)",
                view + ": ${rwo.title}: no variable rwo in this view");
        assertThat(checker.verified()).contains(view + ": p.name", view + ": field name");
    }
}
