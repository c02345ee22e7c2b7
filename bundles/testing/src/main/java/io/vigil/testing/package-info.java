/** Test helpers shared by the bundles' tests: on the test class path only, never in the runtime. */
package io.vigil.testing;
