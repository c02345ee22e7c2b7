package io.vigil.monitor.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP status codes a probe accepts, written as codes and ranges separated by commas, e.g.
 * {@code 200-399} or {@code 200,204,300-302}.
 */
final class StatusRanges {

    private final String text;
    private final List<int[]> ranges;

    private StatusRanges(String text, List<int[]> ranges) {
        this.text = text;
        this.ranges = ranges;
    }

    /**
     * @param property the property the text comes from, for the message
     * @param text codes and ranges
     * @return the ranges
     * @throws IllegalArgumentException if the text is not such a list of codes in 100..599
     */
    static StatusRanges parse(String property, String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] bounds = part.strip().split("-", -1);
            int low = code(bounds[0]);
            int high = bounds.length == 2 ? code(bounds[1]) : bounds.length == 1 ? low : -1;
            if (low < 0 || high < low) {
                throw new IllegalArgumentException(property + " = \"" + text + "\" is not valid; expected status "
                        + "codes (100..599) or ranges separated by commas, e.g. 200-399 or 200,204");
            }
            ranges.add(new int[] {low, high});
        }
        return new StatusRanges(text.strip(), List.copyOf(ranges));
    }

    private static int code(String s) {
        String t = s.strip();
        if (t.length() != 3 || !t.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int c = Integer.parseInt(t);
        return c >= 100 && c <= 599 ? c : -1;
    }

    /** @return whether the code is accepted */
    boolean contains(int code) {
        for (int[] r : ranges) {
            if (code >= r[0] && code <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
