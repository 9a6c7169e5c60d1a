package io.github.nestedvirt.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MmuModeTest {

    @Test
    void eachModeSetsEptOnL0AndL1AsTheKernelDocumentationDescribes() {
        assertThat(MmuMode.SHADOW_ON_SHADOW.l0Parameters()).isEqualTo(Map.of("ept", "0"));
        assertThat(MmuMode.SHADOW_ON_SHADOW.l1Parameters()).isEmpty();
        assertThat(MmuMode.SHADOW_ON_EPT.l0Parameters()).isEqualTo(Map.of("ept", "1"));
        assertThat(MmuMode.SHADOW_ON_EPT.l1Parameters()).isEqualTo(Map.of("ept", "0"));
        assertThat(MmuMode.EPT_ON_EPT.l0Parameters()).isEqualTo(Map.of("ept", "1"));
        assertThat(MmuMode.EPT_ON_EPT.l1Parameters()).isEqualTo(Map.of("ept", "1"));
    }

    @Test
    void labelsReadBackAndUnknownOnesAreNamed() {
        for (MmuMode mode : MmuMode.values()) {
            assertThat(MmuMode.parse(mode.label())).isEqualTo(mode);
        }
        assertThatThrownBy(() -> MmuMode.parse("npt-on-npt"))
                .hasMessage("mmu: must be one of shadow-on-shadow, shadow-on-ept, ept-on-ept, got 'npt-on-npt'");
    }
}
