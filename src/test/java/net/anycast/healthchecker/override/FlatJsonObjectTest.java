package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import net.anycast.healthchecker.override.FlatJsonObject.Bool;
import net.anycast.healthchecker.override.FlatJsonObject.Decimal;
import net.anycast.healthchecker.override.FlatJsonObject.Null;
import net.anycast.healthchecker.override.FlatJsonObject.SyntaxException;
import net.anycast.healthchecker.override.FlatJsonObject.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class FlatJsonObjectTest {

  /** Input (single quotes stand for double quotes) and the object read, rendered back. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {}                                        | {}
          `  {  }  `                                | {}
          {'a': 'b'}                                | {'a': 'b'}
          {'a':1,'b':-2.5,'c':true,'d':false,'e':null} | {'a': 1, 'b': -2.5, 'c': true, 'd': false, 'e': null}
          {'n': 0}                                  | {'n': 0}
          {'n': -0.0}                               | {'n': 0.0}
          {'n': 1e3}                                | {'n': 1E+3}
          {'n': 1.5E-2}                             | {'n': 0.015}
          {'n': 2e+2}                               | {'n': 2E+2}
          {'t': 1764650000.123}                     | {'t': 1764650000.123}
          {'a': 1, 'a': 2}                          | {'a': 2}
          {'a': 1, 'b': 0, 'a': 3}                  | {'a': 3, 'b': 0}
          {'e': '\\' \\\\ \\/ \\b \\f \\n \\r \\t'} | {'e': '\\' \\\\ / \\b \\f \\n \\r \\t'}
          {'u': '\\u00e9\\u00E9'}                   | {'u': '\\u00e9\\u00e9'}
          {'u': '\\ud83d\\ude00'}                   | {'u': '\\ud83d\\ude00'}
          {'': ''}                                  | {'': ''}
          """)
  void parse_valid(String input, String rendered) throws SyntaxException {
    FlatJsonObject json = FlatJsonObject.parse(input.replace('\'', '"'));
    assertThat(json.toJson()).isEqualTo(rendered.replace('\'', '"'));
  }

  /** Input (single quotes stand for double quotes) and the start of the error message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          ``                              | unexpected end of input at offset 0
          `   `                           | unexpected end of input at offset 3
          []                              | expected '{' at offset 0
          'a'                             | expected '{' at offset 0
          {                               | expected a key in double quotes at offset 1
          {'a': 'b'                       | unexpected end of input at offset 9
          {'reason': 'fo                  | unterminated string at offset 11
          {'a': {'b': 1}}                 | nested objects are not allowed at offset 6
          {'a': [1]}                      | arrays are not allowed at offset 6
          {'a': 1,}                       | expected a key in double quotes at offset 8
          {,}                             | expected a key in double quotes at offset 1
          {'a' 1}                         | expected ':' at offset 5
          {'a': 1 'b': 2}                 | expected ',' or '}' at offset 8
          {a: 1}                          | expected a key in double quotes at offset 1
          {'a': 1} x                      | unexpected text after the object at offset 9
          {'a': 1}{}                      | unexpected text after the object at offset 8
          {'a': tru}                      | expected a value at offset 6
          {'a': nul}                      | expected a value at offset 6
          {'a': NaN}                      | expected a value at offset 6
          {'a': Infinity}                 | expected a value at offset 6
          {'a': -}                        | expected a digit at offset 7
          {'a': 01}                       | expected ',' or '}' at offset 7
          {'a': 1.}                       | expected a digit after '.' at offset 8
          {'a': .5}                       | expected a value at offset 6
          {'a': +1}                       | expected a value at offset 6
          {'a': 1e}                       | expected a digit in the exponent at offset 8
          {'a': 1e99999999999}            | number out of range at offset 6
          {'a': '\\x'}                    | bad escape at offset 8
          {'a': '\\u12'}                  | expected four hex digits after \\u at offset 11
          {'a': '\\u12G4'}                | expected four hex digits after \\u at offset 11
          {'a': '\\ud83d'}                | unpaired surrogate at offset 7
          {'a': '\\ud83dx'}               | unpaired surrogate at offset 7
          {'a': '\\ud83d\\u0041'}         | unpaired surrogate at offset 7
          {'a': '\\ude00'}                | unpaired surrogate at offset 7
          """)
  void parse_invalid(String input, String error) {
    assertThatThrownBy(() -> FlatJsonObject.parse(input == null ? "" : input.replace('\'', '"')))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(error);
  }

  @Test
  void parse_rawControlCharacterInString_isAnError() {
    assertThatThrownBy(() -> FlatJsonObject.parse("{\"a\": \"x\ny\"}"))
        .isInstanceOf(SyntaxException.class)
        .hasMessage("control character in a string at offset 8")
        .extracting(e -> ((SyntaxException) e).offset())
        .isEqualTo(8);
  }

  @Test
  void parse_fullwidthDigitsInUnicodeEscape_areNotHex() {
    assertThatThrownBy(() -> FlatJsonObject.parse("{\"a\": \"\\u\uff11234\"}"))
        .isInstanceOf(SyntaxException.class);
  }

  @Test
  void parse_bigInput_isLinearAndExact() throws SyntaxException {
    String big = "x\\\"".repeat(500_000);
    String digits = "1".repeat(100_000);
    FlatJsonObject json = FlatJsonObject.parse(
        "{\"s\": \"" + big + "\", \"n\": " + digits + ".5, \"tiny\": 1e-999999999}");
    assertThat(json.text("s")).get().asString().hasSize(1_000_000).startsWith("x\"x\"");
    assertThat(json.decimal("n")).get().isEqualTo(new BigDecimal(digits + ".5"));
    assertThat(json.decimal("tiny")).get().isEqualTo(new BigDecimal("1e-999999999"));
  }

  @Test
  void typedGetters_answerOnlyForTheirType() throws SyntaxException {
    FlatJsonObject json = FlatJsonObject.parse("{\"s\": \"x\", \"n\": 1, \"b\": true, \"z\": null}");
    assertThat(json.text("s")).contains("x");
    assertThat(json.text("n")).isEmpty();
    assertThat(json.decimal("n")).contains(BigDecimal.ONE);
    assertThat(json.decimal("s")).isEmpty();
    assertThat(json.bool("b")).contains(true);
    assertThat(json.bool("z")).isEmpty();
    assertThat(json.get("z")).contains(new Null());
    assertThat(json.get("missing")).isEmpty();
    assertThat(json.values().keySet()).containsExactly("s", "n", "b", "z");
  }

  @Test
  void toJson_escapesLikePythonJsonDumps_andReadsBack() throws SyntaxException {
    Map<String, FlatJsonObject.Value> values = new LinkedHashMap<>();
    values.put("k\u00e9y", new Text("a\"b\\c\n\u0001\u007f\u00e9\ud83d\ude00/"));
    values.put("n", new Decimal(new BigDecimal("-12.50")));
    values.put("b", new Bool(false));
    values.put("z", new Null());
    FlatJsonObject json = FlatJsonObject.of(values);
    assertThat(json.toJson()).isEqualTo(
        "{\"k\\u00e9y\": \"a\\\"b\\\\c\\n\\u0001\\u007f\\u00e9\\ud83d\\ude00/\", \"n\": -12.50, "
            + "\"b\": false, \"z\": null}");
    assertThat(FlatJsonObject.parse(json.toJson())).isEqualTo(json);
  }
}
