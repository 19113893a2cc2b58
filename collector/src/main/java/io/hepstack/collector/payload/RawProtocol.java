package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadProtocol;

import java.io.IOException;

/** The last resort: a payload no other protocol takes, kept as text or base64 in the log family. */
public final class RawProtocol implements PayloadProtocol<Void> {

    @Override
    public String dataset() {
        return "other";
    }

    @Override
    public String family() {
        return "log";
    }

    @Override
    public int[] protoTypes() {
        return new int[0];
    }

    @Override
    public Void parse(HepPacket packet) {
        return null;
    }

    @Override
    public boolean writesCallId() {
        return true; // PayloadFields.callId
    }

    @Override
    public void write(Void parsed, CapturedMessage m, JsonGenerator g) throws IOException {
        PayloadFields.callId(g, m);
        PayloadFields.rawPayload(g, m, null);
    }
}
