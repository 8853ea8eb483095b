package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.texera.gateway.model.UnitId.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitIdTest {

    private static UnitId.Parsed parse(String value) {
        Map<String, String> labels = new HashMap<>();
        labels.put("type", "computing-unit");
        labels.put("cuid", value);
        return UnitId.parse(labels, "cuid");
    }

    @ParameterizedTest(name = "cuid={0} is unit {1}")
    @CsvSource({
            "1, 1",
            "42, 42",
            "10, 10",
            // 18 digits: the most a unit Service name has room for.
            "999999999999999999, 999999999999999999",
            "100000000000000000, 100000000000000000" })
    void aPositiveWholeNumberIsTheUnitId(String value, long id) {
        assertThat(parse(value)).isEqualTo(new UnitId.Parsed(id, null));
        assertThat(parse(value).valid()).isTrue();
    }

    @ParameterizedTest(name = "cuid=''{0}'' is rejected as {1}")
    @CsvSource({
            "abc, NotANumber",
            "12a, NotANumber",
            "1.5, NotANumber",
            "' 5', NotANumber",
            "-, NotANumber",
            "-abc, NotANumber",
            // Leading zeros would give one unit two names: 7 and 007.
            "007, NotANumber",
            "0000000000000000001, NotANumber",
            "0, NotPositive",
            "00, NotPositive",
            "-0, NotPositive",
            "-3, NotPositive",
            "-007, NotPositive",
            "1000000000000000000, TooLong",
            "1234567890123456789012345, TooLong" })
    void anythingElseIsRejectedWithItsReason(String value, Rejection rejection) {
        UnitId.Parsed parsed = parse(value);

        assertThat(parsed.rejection()).isEqualTo(rejection);
        assertThat(parsed.valid()).isFalse();
    }

    @Test
    void anEmptyLabelIsNotAMissingOne() {
        assertThat(parse("").rejection()).isEqualTo(Rejection.EmptyId);
    }

    @Test
    void aMissingLabelOrNoLabelsAtAllIsMissingId() {
        assertThat(UnitId.parse(Map.of("type", "computing-unit"), "cuid").rejection()).isEqualTo(Rejection.MissingId);
        assertThat(UnitId.parse(null, "cuid").rejection()).isEqualTo(Rejection.MissingId);
    }

    @Test
    void theIdIsReadFromTheConfiguredLabel() {
        assertThat(UnitId.parse(Map.of("cuid", "1", "texera.apache.org/unit", "2"), "texera.apache.org/unit").id())
                .isEqualTo(2);
    }

    @Test
    void eachRejectionDescribesItselfWithTheLabelNameAndTheBadValue() {
        assertThat(Rejection.MissingId.describe("cuid", null)).isEqualTo("has no cuid label");
        assertThat(Rejection.EmptyId.describe("cuid", "")).isEqualTo("has an empty cuid label");
        assertThat(Rejection.NotANumber.describe("cuid", "7a"))
                .isEqualTo("has a cuid label that is not a whole number: \"7a\"");
        assertThat(Rejection.NotPositive.describe("cuid", "-3")).isEqualTo("has a cuid label that is not positive: \"-3\"");
        assertThat(Rejection.TooLong.describe("cuid", "1234567890123456789"))
                .isEqualTo("has a cuid label longer than 18 digits, too long for a Service name: \"1234567890123456789\"");
    }
}
