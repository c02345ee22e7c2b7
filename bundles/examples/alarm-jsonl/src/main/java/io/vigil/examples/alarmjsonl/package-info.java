/**
 * An example alarm handler bundle: {@link io.vigil.examples.alarmjsonl.AlarmJsonlHandler} writes
 * each alarm as a JSON line. Nothing is exported.
 */
package io.vigil.examples.alarmjsonl;
