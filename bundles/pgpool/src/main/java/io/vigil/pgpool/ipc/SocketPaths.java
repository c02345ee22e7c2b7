package io.vigil.pgpool.ipc;

import java.nio.file.Path;

/** The watchdog IPC socket's name: {@code <dir>/.s.PGPOOLWD_CMD.<wd_port>}. */
public final class SocketPaths {

    private SocketPaths() {
    }

    /**
     * @param dir {@code wd_ipc_socket_dir}
     * @param port the local node's {@code wd_port}
     * @return the socket's path
     * @throws IllegalArgumentException if the directory is blank or the port outside 1..65535
     */
    public static Path of(String dir, int port) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("the watchdog IPC socket directory is empty; expected a directory "
                    + "such as pgpool.conf's wd_ipc_socket_dir");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("wd_port " + port + " is out of range; expected 1..65535");
        }
        return Path.of(dir).resolve(".s.PGPOOLWD_CMD." + port);
    }
}
