package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepFrameDecoder;
import io.hepstack.collector.hep.HepPacketDecoder;
import io.hepstack.collector.hep.HepRejectionListener;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.hepstack.enricher.reload.FileWatcher;
import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.ReloadableFile;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;

/**
 * The HEP sockets: UDP (one datagram, one packet), TCP and optionally TLS (a stream of HEP3
 * packets framed by their length field). Native epoll when available. UDP and TCP use separate
 * event loops, so TCP back-pressure (a stalled loop while the pipeline is full) never delays UDP.
 *
 * <p>Hostile senders are held off here: packets need one of the configured auth keys
 * ({@link HepAuthKeys}, reloadable); TCP and TLS connections are capped in total and per address
 * ({@link ConnectionLimiter}); a connection is cut when idle or when it holds an unfinished frame
 * too long ({@link PartialFrameTimeout}); TLS may require client certificates and reloads its
 * certificate when the files change ({@link TlsContext}); warnings are rate-limited.
 */
public final class HepListeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HepListeners.class);
    /** Room for the largest UDP datagram: a HEP packet over UDP is never cut. */
    private static final int MAX_DATAGRAM = 65_536;

    private final HepListenerConfig config;
    private final HepDecoder decoder;
    private final Pipeline pipeline;
    private final IngestMetrics metrics;
    private final Duration tcpWait;
    private final boolean epoll;
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final List<Channel> udpChannels = new ArrayList<>();
    private final HepAuthKeys authKeys;
    private final ConnectionLimiter connections;
    private final List<ReloadableFile<?>> watched = new ArrayList<>();
    private FileWatcher watcher;
    private TlsContext tls;
    private Channel tcpChannel;
    private Channel tlsChannel;

    public HepListeners(HepListenerConfig config, Pipeline pipeline, IngestMetrics metrics, Duration tcpWait) {
        this.config = config;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.tcpWait = tcpWait;
        try {
            this.authKeys = HepAuthKeys.of(config);
        } catch (LoadException e) {
            throw new IllegalArgumentException("hep.authKeysFile: " + e.getMessage(), e);
        }
        if (authKeys != null && authKeys.file() != null) {
            watched.add(authKeys.file());
        }
        this.connections = new ConnectionLimiter(config.maxConnections, config.maxConnectionsPerAddress,
                metrics.connectionsRefused, metrics.warnings());
        metrics.register(connections);
        this.decoder = HepDecoder.builder()
                .authenticator(authKeys)
                .maxDecompressedPayload(config.maxDecompressedPayload)
                .requirePayload(config.requirePayload)
                .build();
        this.epoll = config.nativeTransport && Epoll.isAvailable();
        if (config.nativeTransport && !epoll) {
            LOG.info("native epoll transport not available ({}); using NIO", Epoll.unavailabilityCause() == null ? "not Linux" : Epoll.unavailabilityCause().toString());
        }
    }

    public void start() throws InterruptedException {
        if (config.udp.enabled) {
            startUdp();
        }
        if (config.tcp.enabled) {
            tcpChannel = startTcp(config.tcp, null, Transport.TCP);
        }
        if (config.tls.enabled) {
            tls = new TlsContext(config.tls);
            watched.addAll(tls.files());
            tlsChannel = startTcp(config.tls, tls, Transport.TLS);
        }
        if (!watched.isEmpty()) {
            watcher = new FileWatcher(Duration.ofSeconds(config.reloadIntervalSeconds));
            watched.forEach(watcher::watch);
        }
    }

    /** Checks the auth keys file and the TLS files for changes now (tests, the reload task). */
    public void reloadChangedFiles() {
        for (ReloadableFile<?> f : watched) {
            f.checkForChange();
        }
    }

    private IoHandlerFactory ioFactory() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    private EventLoopGroup group(int threads, String name) {
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(threads,
                new io.netty.util.concurrent.DefaultThreadFactory(name, true), ioFactory());
        groups.add(g);
        return g;
    }

    /**
     * The UDP sockets. With epoll, {@code threads} sockets share the port (SO_REUSEPORT; the kernel
     * spreads senders over them by address hash, so one sender's datagrams stay on one socket and in
     * order) and each reads up to {@code receiveBatch} datagrams per {@code recvmmsg} call into one
     * pooled buffer of 64 KiB per datagram (so no datagram is ever truncated). With NIO: one socket,
     * one datagram per read. Either way {@link UdpHepHandler} decodes on the receiving thread and
     * hands whole batches to the pipeline.
     */
    private void startUdp() throws InterruptedException {
        HepListenerConfig.Udp c = config.udp;
        int sockets = epoll ? c.threads : 1;
        if (c.threads > 1 && !epoll) {
            LOG.warn("hep.udp.threads={} needs native epoll (SO_REUSEPORT); using one UDP socket", c.threads);
        }
        int batch = c.receiveBatch;
        boolean recvmmsg = epoll && batch > 1;
        EventLoopGroup g = group(sockets, "hep-udp");
        HepRejectionListener rejections = metrics.rejectionListener(Transport.UDP);
        Bootstrap b = new Bootstrap().group(g)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, c.receiveBufferBytes)
                // a read loop takes a few batches before other work on the loop gets its turn
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * (recvmmsg ? batch : 1))
                        .maxMessagesPerRead(Math.max(16, 4 * batch)))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("decode-batch", new UdpHepHandler(decoder, rejections, pipeline, metrics, batch,
                                c.readPause.toNanoseconds(), LockSupport::parkNanos));
                    }
                });
        if (recvmmsg) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.ALLOCATOR, ReadBuffers.POOL);
        }
        if (epoll && sockets > 1) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        for (int i = 0; i < sockets; i++) {
            udpChannels.add(b.bind(new InetSocketAddress(c.bind, c.port)).sync().channel());
        }
        LOG.info("HEP UDP listening on {} ({} socket{}, {}, up to {} datagram{} per read and hand-off)",
                udpChannels.get(0).localAddress(), sockets, sockets > 1 ? "s" : "",
                recvmmsg ? "epoll recvmmsg" : epoll ? "epoll" : "nio", batch, batch > 1 ? "s" : "");
    }

    /**
     * Where the recvmmsg read buffers ({@code receiveBatch} x 64 KiB, up to 2 MiB) come from: a pool of
     * their own, one arena per receiving thread, whose 16 MiB chunks keep such a buffer between reads.
     * Netty's shared pools would not: the adaptive one does not pool buffers over 1 MiB (256 KiB with a
     * small heap), and in the classic one a 1 MiB buffer is a quarter of a 4 MiB chunk, which is then
     * freed and mapped again for every read (measured: twice the CPU per datagram of reading one by one).
     */
    private static final class ReadBuffers {
        private static final int PAGE = 8192;
        private static final int CHUNK_ORDER = 11; // 8 KiB << 11 = 16 MiB, 8 times the largest read buffer
        static final PooledByteBufAllocator POOL = new PooledByteBufAllocator(true, 0,
                Runtime.getRuntime().availableProcessors(), PAGE, CHUNK_ORDER, 0, 0, false);

        static {
            if ((long) MAX_DATAGRAM * HepListenerConfig.Udp.MAX_RECEIVE_BATCH * 8 > (long) PAGE << CHUNK_ORDER) {
                throw new AssertionError("the largest read buffer must stay within an eighth of a chunk");
            }
        }
    }

    private Channel startTcp(HepListenerConfig.Socket c, TlsContext ssl, Transport transport) throws InterruptedException {
        EventLoopGroup boss = group(1, "hep-" + transport.label() + "-accept");
        EventLoopGroup workers = group(c.threads, "hep-" + transport.label());
        HepPacketDecoder packetDecoder = new HepPacketDecoder(decoder, metrics.rejectionListener(transport));
        HepInboundHandler handler = new HepInboundHandler(pipeline, transport, metrics, tcpWait);
        int idle = config.tcpIdleTimeoutSeconds;
        long frameTimeout = TimeUnit.SECONDS.toNanos(config.tcpFrameTimeoutSeconds);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.SO_RCVBUF, Math.max(65_536, Math.min(c.receiveBufferBytes, 4 << 20)))
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connections.admit(ch)) {
                            return;
                        }
                        if (ssl != null) {
                            SslHandler h = ssl.current().newHandler(ch.alloc());
                            h.setHandshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(config.tls.handshakeTimeoutSeconds));
                            ch.pipeline().addLast("tls", h);
                        }
                        if (idle > 0) { // after TLS: a TLS record trickled in byte by byte is no activity
                            ch.pipeline().addLast("idle", new IdleStateHandler(idle, 0, 0, TimeUnit.SECONDS));
                        }
                        HepFrameDecoder frames = new HepFrameDecoder(metrics.rejectionListener(transport));
                        if (frameTimeout > 0) {
                            ch.pipeline().addLast("frame-timeout", new PartialFrameTimeout(frames, frameTimeout,
                                    metrics.connectionsCutPartialFrame, metrics.warnings()));
                        }
                        ch.pipeline().addLast("frame", frames);
                        ch.pipeline().addLast("decode", packetDecoder);
                        ch.pipeline().addLast("hand-off", handler);
                    }
                });
        Channel ch = b.bind(new InetSocketAddress(c.bind, c.port)).sync().channel();
        LOG.info("HEP {} listening on {} ({})", transport.label().toUpperCase(), ch.localAddress(), epoll ? "epoll" : "nio");
        return ch;
    }

    /** Bound UDP port (useful when configured as 0). */
    public int udpPort() {
        return udpChannels.isEmpty() ? -1 : ((InetSocketAddress) udpChannels.get(0).localAddress()).getPort();
    }

    public int tcpPort() {
        return tcpChannel == null ? -1 : ((InetSocketAddress) tcpChannel.localAddress()).getPort();
    }

    public int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    public boolean udpBound() {
        return !udpChannels.isEmpty() && udpChannels.stream().allMatch(Channel::isActive);
    }

    public boolean tcpBound() {
        return tcpChannel != null && tcpChannel.isActive();
    }

    public boolean tlsBound() {
        return tlsChannel != null && tlsChannel.isActive();
    }

    public boolean nativeTransport() {
        return epoll;
    }

    /** Stops accepting: closes the sockets and waits for in-progress reads. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        for (Channel c : udpChannels) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (tcpChannel != null) {
            tcpChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (tlsChannel != null) {
            tlsChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
