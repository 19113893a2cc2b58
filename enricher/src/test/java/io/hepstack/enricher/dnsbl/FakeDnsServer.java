package io.hepstack.enricher.dnsbl;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP DNS server on 127.0.0.1 that answers A 127.0.0.2 for one name and NXDOMAIN for the rest. */
final class FakeDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final String listed;
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    FakeDnsServer(String listed) throws SocketException {
        this.listed = listed;
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "fake-dns");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                byte[] reply = answer(buf, p.getLength());
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (Exception e) {
                return; // closed
            }
        }
    }

    private byte[] answer(byte[] q, int len) {
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (q[i] != 0) {
            int l = q[i++];
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, i, l, java.nio.charset.StandardCharsets.US_ASCII));
            i += l;
        }
        int questionEnd = i + 5; // zero label, type, class
        boolean hit = name.toString().equalsIgnoreCase(listed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x81);
        out.write(hit ? 0x80 : 0x83); // NOERROR or NXDOMAIN
        out.write(new byte[] {0, 1, 0, (byte) (hit ? 1 : 0), 0, 0, 0, 0}, 0, 8);
        out.write(q, 12, questionEnd - 12);
        if (hit) {
            out.write(new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2}, 0, 16);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
