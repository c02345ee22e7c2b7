package io.vigil.shell.admin;

/** Runs one command line and answers with its output and exit status. */
@FunctionalInterface
interface CommandRunner {

    /**
     * @param commandLine the command line as received
     * @return its output and exit status; never throws for a failing command
     */
    AdminProtocol.Response run(String commandLine);
}
