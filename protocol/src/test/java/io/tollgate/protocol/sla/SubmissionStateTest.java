package io.tollgate.protocol.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubmissionStateTest {
    @Test
    void a_window_without_a_record_is_none_and_a_stored_value_is_its_state() {
        assertThat(SubmissionState.stored(null)).isEqualTo(SubmissionState.NONE);
        assertThat(SubmissionState.stored("REPORTS_ADDED")).isEqualTo(SubmissionState.REPORTS_ADDED);
        assertThatThrownBy(() -> SubmissionState.stored("sending")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sent_or_confirmed_windows_show_as_submitted() {
        assertThat(SubmissionState.values())
                .filteredOn(SubmissionState::submitted)
                .containsExactly(SubmissionState.SENDING, SubmissionState.CONFIRMED);
    }
}
