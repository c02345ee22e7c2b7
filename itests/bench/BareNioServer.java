import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The yardstick of healthcheck-bench.sh: the least a Java server can do to answer GGHealthCheck's
 * protocol from a constant. One selector thread; read up to 128 bytes until a newline or EOF, send
 * them back with "server = UP" appended, close. No timeouts, no limits, no logging, no status.
 *
 *   java BareNioServer.java PORT
 */
public final class BareNioServer {

    private static final byte[] UP = "server = UP".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("bare NIO server listening on " + server.getLocalAddress());
        while (true) {
            selector.select(key -> {
                try {
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = server.accept()) != null) {
                            ch.configureBlocking(false);
                            ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(128 + UP.length));
                        }
                    } else if (key.isReadable()) {
                        SocketChannel ch = (SocketChannel) key.channel();
                        ByteBuffer buf = (ByteBuffer) key.attachment();
                        int from = buf.position();
                        int n = ch.read(buf);
                        boolean done = n < 0 || buf.position() >= 128;
                        for (int i = from; !done && i < buf.position(); i++) {
                            done = buf.get(i) == '\n';
                        }
                        if (done) {
                            buf.limit(Math.min(buf.position(), 128) + UP.length);
                            buf.position(Math.min(buf.position(), 128));
                            buf.put(UP).flip();
                            ch.write(buf);
                            ch.close();
                        }
                    }
                } catch (IOException e) {
                    key.cancel();
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // gone already
                    }
                }
            });
        }
    }
}
