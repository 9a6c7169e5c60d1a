package io.github.nestedvirt.kut;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.output.TestOutputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class KutJUnitXmlTest {

    private static Document write(KutResult result, String suite) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KutJUnitXml.write(result, suite, out);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void everyTestBecomesATestcaseWithItsOutcome() throws Exception {
        KutResult result = KutOutput.parse("runner.txt", TestOutputs.read(KutJUnitXmlTest.class, "runner.txt"));
        Document xml = write(result, "kvm-unit-tests.L1.l1");

        Element suite = xml.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("11");
        assertThat(suite.getAttribute("failures")).isEqualTo("3"); // 2 failures + 1 timeout
        assertThat(suite.getAttribute("skipped")).isEqualTo("3");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(11);
        Element vmx = (Element) cases.item(5);
        assertThat(vmx.getAttribute("name")).isEqualTo("vmx");
        Element skipped = (Element) vmx.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("/sys/module/kvm_intel/parameters/nested not equal to Y");
        Element timeout = (Element) ((Element) cases.item(8)).getElementsByTagName("failure").item(0);
        assertThat(timeout.getAttribute("type")).isEqualTo("TIMEOUT");
        assertThat(timeout.getAttribute("message")).isEqualTo("timeout; duration=90s");
    }

    @Test
    void hostileTestNamesAndReasonsSurviveEscaping() throws Exception {
        String hostile = "a<b>&\"c' ]]> <!-- x --> \u0001\u001B[31m";
        KutResult result = new KutResult(KutFormat.RUNNER, List.of(
                new KutTest(hostile, KutStatus.FAIL, "</failure><testcase name=\"injected\">", null, 1),
                new KutTest("ok", KutStatus.SKIP, hostile, null, 2)), List.of(), null);

        Document xml = write(result, "suite & <co>");

        assertThat(xml.getDocumentElement().getAttribute("name")).isEqualTo("suite & <co>");
        NodeList cases = xml.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        // control characters XML cannot hold become U+FFFD; everything else arrives unchanged
        String expected = "a<b>&\"c' ]]> <!-- x --> \uFFFD\uFFFD[31m";
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo(expected);
        Element failure = (Element) ((Element) cases.item(0)).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("</failure><testcase name=\"injected\">");
        Element skipped = (Element) ((Element) cases.item(1)).getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo(expected);
    }

    @Test
    void aSingleTestsLogBecomesOneTestcasePerCheck() throws Exception {
        KutResult log = KutOutput.parse("log", TestOutputs.read(KutJUnitXmlTest.class, "vmx-test-log.txt"));

        Document xml = write(log, "vmx");

        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(6);
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(xml.getDocumentElement().getAttribute("skipped")).isEqualTo("1");
    }
}
