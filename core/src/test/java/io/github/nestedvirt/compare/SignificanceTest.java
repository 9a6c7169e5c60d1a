package io.github.nestedvirt.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.nestedvirt.compare.Significance.Test;
import org.junit.jupiter.api.DisplayName;

class SignificanceTest {

    private static final double[] BASELINE = {61.2, 60.8, 61.0, 59.9, 62.3};
    private static final double[] CANDIDATE = {63.0, 62.1, 63.8, 62.6, 64.1, 62.9};

    /** Expected p-values from scipy 1.17: ttest_ind(equal_var=False) and mannwhitneyu(method='exact'). */
    @org.junit.jupiter.api.Test
    void knownAnswersAgainstScipy() {
        Significance welch = Significance.of(BASELINE, CANDIDATE);
        Significance u = Significance.of(BASELINE, CANDIDATE, Test.MANN_WHITNEY_U);

        assertThat(welch.test()).isEqualTo(Test.WELCH_T);
        assertThat(welch.pValue()).isCloseTo(0.0031332970563223406, within(1e-9));
        assertThat(welch.significant()).isTrue();
        assertThat(u.pValue()).isCloseTo(0.008658008658008658, within(1e-12));
        assertThat(u.significant()).isTrue();
    }

    @org.junit.jupiter.api.Test
    @DisplayName("Mann-Whitney U cannot reach 5% with 3 against 3 samples, however far apart: why Welch is the default")
    void mannWhitneyCannotDecideThreeAgainstThree() {
        double[] fast = {10.0, 10.1, 10.2};
        double[] slow = {20.0, 20.1, 20.2};

        assertThat(Significance.of(fast, slow, Test.MANN_WHITNEY_U).pValue()).isCloseTo(0.1, within(1e-12));
        assertThat(Significance.of(fast, slow, Test.MANN_WHITNEY_U).significant()).isFalse();
        assertThat(Significance.of(fast, slow).significant()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void tooFewSamplesOrNoSpreadIsUntestableNotInsignificant() {
        Significance one = Significance.of(new double[] {1.0}, new double[] {1.0, 2.0});
        Significance flat = Significance.of(new double[] {5, 5, 5}, new double[] {5, 5});

        assertThat(one.testable()).isFalse();
        assertThat(one.pValue()).isNaN();
        assertThat(one.significant()).isFalse();
        assertThat(flat.testable()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void testNamesFromTheCommandLine() {
        assertThat(Test.parse("Welch")).isEqualTo(Test.WELCH_T);
        assertThat(Test.parse("mann_whitney")).isEqualTo(Test.MANN_WHITNEY_U);
        assertThatThrownBy(() -> Test.parse("ks")).hasMessage("test: must be welch or mann-whitney, got 'ks'");
    }
}
