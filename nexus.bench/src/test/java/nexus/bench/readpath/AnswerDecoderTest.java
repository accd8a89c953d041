package nexus.bench.readpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

class AnswerDecoderTest {

    /** Three rows: a float, a boolean and a tag whose backend is gone (docs/query.md "Values"). */
    private static final String ROWS = """
            {"columns":["id","path"],"rows":[
             {"id":7,"path":"site1/area1/line1/tank2/level","value":63.17,"quality":"GOOD","ts":"2026-12-06T19:58:27Z"},
             {"id":8,"path":"site1/area1/line1/pump1/running","value":true,"quality":"GOOD","ts":"2026-12-06T19:58:27Z"},
             {"id":9,"path":"site1/area1/line1/pump1/speed","value":null,"quality":"BAD_NO_BACKEND","ts":null}],
             "truncated":true,"registryVersion":1,"stats":{"rows":3,"planMs":0.12,"blocks":[1,2]}}
            """;

    private static final String COLUMNS = """
            {"columns":["id","path"],"data":{"id":[7,8,9],"path":["a/level","a/running","a/speed"]},
             "live":{"value":[63.17,true,null],"quality":["GOOD","GOOD","BAD_NO_BACKEND"],"ts":[0,0,null],
             "times":["2026-12-06T19:58:27Z"]},"truncated":true,"registryVersion":1,"stats":{"rows":3}}
            """;

    @Test
    void countsTheRowsOfTheRowsShapeAndReadsEveryNumber() throws IOException {
        AnswerDecoder.Decoded decoded = AnswerDecoder.query("rows", bytes(ROWS));

        // ids 7, 8, 9; value 63.17; registryVersion; stats rows, planMs and two blocks
        assertThat(decoded).isEqualTo(new AnswerDecoder.Decoded(3, 9, 1));
    }

    @Test
    void decodesTheRowsShapeInCborAlike() throws IOException {
        byte[] cbor = new ObjectMapper(new CBORFactory()).writeValueAsBytes(new ObjectMapper().readTree(ROWS));

        assertThat(AnswerDecoder.query("cbor", cbor)).isEqualTo(new AnswerDecoder.Decoded(3, 9, 1));
    }

    @Test
    void countsTheRowsOfTheColumnsShapeByItsLongestColumn() throws IOException {
        AnswerDecoder.Decoded decoded = AnswerDecoder.query("columns", bytes(COLUMNS));

        // ids 7, 8, 9; value 63.17; ts 0, 0; registryVersion; stats rows
        assertThat(decoded).isEqualTo(new AnswerDecoder.Decoded(3, 8, 1));
    }

    @Test
    void decodesASingleTagToItsLastToken() throws IOException {
        String tag = """
                {"id":7,"path":"site1/area1/line1/tank2/level","type":"FLOAT32","unit":"%",
                 "properties":{"min":"0","max":"100"},"value":63.17,"quality":"GOOD","ts":"2026-12-06T19:58:27Z"}
                """;

        assertThat(AnswerDecoder.tag(bytes(tag))).isEqualTo(new AnswerDecoder.Decoded(1, 2, 0));
    }

    @Test
    void refusesWhatIsNotAWholeAnswer() {
        assertThatThrownBy(() -> AnswerDecoder.query("rows", bytes(ROWS.substring(0, 120))))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AnswerDecoder.query("rows", bytes(COLUMNS)))
                .hasMessage("the answer has no rows array: is it a query answer in the rows shape?");
        assertThatThrownBy(() -> AnswerDecoder.query("columns", bytes(ROWS)))
                .hasMessage("the answer has no data object: is it a query answer in the columns shape?");
        assertThatThrownBy(() -> AnswerDecoder.tag(bytes("[1,2]"))).hasMessageStartingWith("expected START_OBJECT");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
