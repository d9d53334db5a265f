package dev.soma.server;

import java.util.ArrayList;
import java.util.List;

/** Geometric checks shared by the layout test and the page test: boxes, orthogonal segments, crossings. */
final class LineageGeometry {

    private LineageGeometry() {
    }

    record Box(String name, double x, double y, double width, double height) {
        double right() {
            return x + width;
        }
    }

    record Segment(double x1, double y1, double x2, double y2) {
    }

    /** Whether the segment passes through the inside of the box (touching its border does not count). */
    static boolean crosses(Segment s, Box b) {
        double inset = 0.5;
        double left = b.x() + inset, right = b.x() + b.width() - inset, top = b.y() + inset, bottom = b.y() + b.height() - inset;
        // Liang–Barsky clipping of the segment against the shrunken box.
        double dx = s.x2() - s.x1(), dy = s.y2() - s.y1();
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {s.x1() - left, right - s.x1(), s.y1() - top, bottom - s.y1()};
        double t0 = 0, t1 = 1;
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return false;
                }
            } else {
                double t = q[i] / p[i];
                if (p[i] < 0) {
                    t0 = Math.max(t0, t);
                } else {
                    t1 = Math.min(t1, t);
                }
            }
        }
        return t0 < t1;
    }

    /** The segments of an SVG path made of M and L commands ("M1,2 L3,4 L5,6"). */
    static List<Segment> segments(String d) {
        List<double[]> points = new ArrayList<>();
        for (String part : d.trim().split("(?=[ML])")) {
            String[] xy = part.substring(1).trim().split("[ ,]+");
            points.add(new double[]{Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            segments.add(new Segment(points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]));
        }
        return segments;
    }
}
