/**
 * The {@code wd} shell command ({@link io.vigil.pgpool.shell.WdCommands}): the watchdog's view
 * as the external lifecheck sees it. Internal to the bundle.
 */
package io.vigil.pgpool.shell;
