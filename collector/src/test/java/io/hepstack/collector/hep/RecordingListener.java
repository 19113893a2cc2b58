package io.hepstack.collector.hep;

import io.hepstack.collector.hep.HepDecodeException.Reason;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Remembers every rejection, for assertions. */
final class RecordingListener implements HepRejectionListener {

    record Rejection(Reason reason, SocketAddress peer, String detail) {
    }

    final List<Rejection> rejections = new ArrayList<>();

    @Override
    public void rejected(Reason reason, SocketAddress peer, String detail) {
        rejections.add(new Rejection(reason, peer, detail));
    }

    List<Reason> reasons() {
        return rejections.stream().map(Rejection::reason).toList();
    }
}
