package io.hepstack.collector.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The readers' side of what lean documents leave out (MessageDocumentsTest runs them over real captures). */
class LeanDefaultsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theContentTypeComesFromTheRawTextsHeadersOnlyWhenTheDocumentDoesNotSayIt() throws Exception {
        assertThat(LeanDefaults.contentType(doc("INVITE sip:a@b SIP/2.0\nCall-ID: x\nContent-Type: application/sdp\n\nv=0\n")))
                .isEqualTo("application/sdp");
        assertThat(LeanDefaults.contentType(doc("INVITE sip:a@b SIP/2.0\r\ni: x\r\nc :  Application/SDP \r\n\r\n")))
                .as("compact form, CRLFs, spaces").isEqualTo("Application/SDP");
        assertThat(LeanDefaults.contentType(doc("MESSAGE sip:a@b SIP/2.0\nCall-ID: x\nContent-Length: 22\n\nContent-Type: text/x\n")))
                .as("not a header: in the body").isNull();
        assertThat(LeanDefaults.contentType(doc("BYE sip:a@b SIP/2.0\nCall-ID: x\n"))).as("headers not ended").isNull();
        JsonNode said = MAPPER.readTree("{\"sip\":{\"content_type\":\"text/plain\"},\"event\":{\"original\":\"A\\nContent-Type: x\\n\\n\"}}");
        assertThat(LeanDefaults.contentType(said)).isEqualTo("text/plain");
    }

    @Test
    void theReasonPhraseAndTheCseqMethodAreTheFieldsElseTheirUsualValues() throws Exception {
        assertThat(LeanDefaults.status(MAPPER.readTree("{\"code\":486}"))).isEqualTo("Busy Here");
        assertThat(LeanDefaults.status(MAPPER.readTree("{\"code\":486,\"status\":\"Occupied\"}"))).isEqualTo("Occupied");
        assertThat(LeanDefaults.status(MAPPER.readTree("{\"code\":499}"))).as("no registered phrase").isNull();
        assertThat(LeanDefaults.status(MAPPER.readTree("{\"method\":\"INVITE\"}"))).isNull();
        assertThat(LeanDefaults.cseqMethod(MAPPER.readTree("{\"method\":\"INVITE\",\"cseq\":{\"code\":1}}"))).isEqualTo("INVITE");
        assertThat(LeanDefaults.cseqMethod(MAPPER.readTree("{\"code\":200,\"cseq\":{\"code\":1,\"method\":\"BYE\"}}"))).isEqualTo("BYE");
    }

    private static JsonNode doc(String raw) {
        return MAPPER.createObjectNode().set("event", MAPPER.createObjectNode().put("original", raw));
    }
}
