package io.vigil.api.pmf;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The process monitor facility. Provided by the {@code pmf} bundle (issue #4) as a service.
 *
 * <p>A tree is restarted only when its last watched process has died, and its death is noticed
 * at once (an exit notification, not polling). Supervision outlives an agent restart: a restarted
 * agent finds its tags' trees still running and adopts them.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ProcessMonitor {

    /**
     * Starts a tree under a tag ({@code pmfadm -c}).
     *
     * @param spec what to run
     * @return its status
     * @throws PmfException if the tag already runs, or the program cannot be started
     */
    TagStatus start(ProcessSpec spec) throws PmfException;

    /**
     * Stops supervising a tag and stops its tree ({@code pmfadm -s}): sends {@code signal}, waits
     * up to {@code timeout}, then kills what remains with SIGKILL.
     *
     * @param tag the tag
     * @param signal the signal number, e.g. 15
     * @param timeout how long to wait before SIGKILL
     * @return whether the tag existed
     * @throws PmfException if the tree could not be stopped
     */
    boolean stop(String tag, int signal, Duration timeout) throws PmfException;

    /**
     * Sends a signal to a tag's tree and keeps supervising it ({@code pmfadm -k}).
     *
     * @param tag the tag
     * @param signal the signal number
     * @throws PmfException if the tag is unknown
     */
    void signal(String tag, int signal) throws PmfException;

    /**
     * Changes a tag's retry budget ({@code pmfadm -m}).
     *
     * @param tag the tag
     * @param retries the new retries
     * @param period the new window
     * @throws PmfException if the tag is unknown
     */
    void modify(String tag, int retries, Duration period) throws PmfException;

    /**
     * @param tag a tag
     * @return its status ({@code pmfadm -l}, {@code -q}), or empty when not supervised
     */
    Optional<TagStatus> status(String tag);

    /** @return every supervised tag ({@code pmfadm -L}), ordered by tag */
    List<TagStatus> list();

    /**
     * @param tagPrefix a tag prefix, e.g. {@code web-rg,web,}; empty for all
     * @param listener told of every death of a matching tag's tree
     * @return a handle that removes the listener when closed
     */
    AutoCloseable addListener(String tagPrefix, PmfListener listener);
}
