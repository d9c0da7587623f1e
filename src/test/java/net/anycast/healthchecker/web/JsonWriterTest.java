package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  @Test
  void nestedObjectsAndArrays_getCommasBetweenMembersOnly() {
    String json = new JsonWriter().beginObject()
        .name("a").value(1)
        .name("b").beginArray().value("x").value(true).nullValue().beginObject().endObject()
        .beginArray().endArray().endArray()
        .name("c").beginObject().name("d").value(false).name("e").beginArray().value(2)
        .endArray().endObject()
        .name("f").value((String) null)
        .endObject().toString();

    assertThat(json).isEqualTo(
        "{\"a\":1,\"b\":[\"x\",true,null,{},[]],\"c\":{\"d\":false,\"e\":[2]},\"f\":null}");
    assertThat(Json.parse(json)).isInstanceOf(Map.class);
  }

  @Test
  void emptyContainers_afterNonEmptyOnes_startWithoutAComma() {
    String json = new JsonWriter().beginArray()
        .beginArray().value(1).value(2).endArray()
        .beginArray().endArray()
        .beginArray().value(3).endArray()
        .endArray().toString();

    assertThat(json).isEqualTo("[[1,2],[],[3]]");
  }

  @Test
  void quotesBackslashesAndLineEnds_areEscaped() {
    String json = new JsonWriter().value("say \"hi\"\\ \n\r\t").toString();

    assertThat(json).isEqualTo("\"say \\\"hi\\\"\\\\ \\n\\r\\t\"");
    assertThat(Json.parse(json)).isEqualTo("say \"hi\"\\ \n\r\t");
  }

  @Test
  void otherControlCharacters_areUnicodeEscapes() {
    String json = new JsonWriter().value("\u0000\u0001\b\f\u001b\u007f").toString();

    assertThat(json).isEqualTo("\"\\u0000\\u0001\\b\\f\\u001b\\u007f\"");
    assertThat(Json.parse(json)).isEqualTo("\u0000\u0001\b\f\u001b\u007f");
  }

  @Test
  void nonAscii_isEscapedToAscii_surrogatePairsIncluded() {
    String text = "café Ω 😀";
    String json = new JsonWriter().value(text).toString();

    assertThat(json).isEqualTo("\"caf\\u00e9 \\u03a9 \\ud83d\\ude00\"");
    assertThat(json.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(Json.parse(json)).isEqualTo(text);
  }

  @Test
  void scriptEndTag_neverAppearsRaw_soTheJsonIsSafeInsideHtml() {
    String text = "</script><script>alert(1)</script> & more";
    String json = new JsonWriter().beginObject().name("</script>").value(text).endObject()
        .toString();

    assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&");
    assertThat(json).contains("\\u003c/script\\u003e");
    assertThat(Json.object(json)).isEqualTo(Map.of("</script>", text));
  }

  @Test
  void namesAreEscapedLikeValues() {
    String json = new JsonWriter().beginObject().name("a\"b\n").value(1).endObject().toString();

    assertThat(json).isEqualTo("{\"a\\\"b\\n\":1}");
  }

  @Test
  void instants_areIsoUtc_orNull() {
    String json = new JsonWriter().beginArray().value(Instant.parse("2026-03-01T12:00:00.5Z"))
        .value((Instant) null).endArray().toString();

    assertThat(json).isEqualTo("[\"2026-03-01T12:00:00.500Z\",null]");
  }

  @Test
  void durations_areSecondsWithMilliseconds() {
    String json = new JsonWriter().beginArray().seconds(Duration.ofMillis(12))
        .seconds(Duration.ofSeconds(90)).seconds(Duration.ZERO).endArray().toString();

    assertThat(json).isEqualTo("[0.012,90.000,0.000]");
    assertThat((List<?>) Json.parse(json)).hasSize(3);
  }

  @Test
  void numbers_coverTheWholeLongRange() {
    String json = new JsonWriter().beginArray().value(Long.MIN_VALUE).value(Long.MAX_VALUE)
        .endArray().toString();

    assertThat(json).isEqualTo("[-9223372036854775808,9223372036854775807]");
  }

  @Test
  void closingMoreThanWasOpened_isRefused() {
    JsonWriter w = new JsonWriter().beginArray().endArray();

    assertThatThrownBy(w::endArray).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nestingDeeperThanTheBitsetHolds_isRefused() {
    JsonWriter w = new JsonWriter();
    for (int i = 0; i < 63; i++) {
      w.beginArray();
    }

    assertThatThrownBy(w::beginArray).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("too deep");
  }

  @Test
  void deepNesting_withinTheLimit_keepsCommasPerLevel() {
    JsonWriter w = new JsonWriter();
    for (int i = 0; i < 62; i++) {
      w.beginArray().value(i);
    }
    for (int i = 0; i < 62; i++) {
      w.endArray();
    }
    String json = w.toString();

    assertThat(json).startsWith("[0,[1,[2,").endsWith("]]]");
    assertThat(Json.parse(json)).isInstanceOf(List.class);
  }
}
