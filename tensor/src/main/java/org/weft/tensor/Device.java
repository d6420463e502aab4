package org.weft.tensor;

/** Where an array's storage lives: the host, or one CUDA GPU. */
public record Device(Type type, int index) {

    /** The kinds of device Weft runs on. */
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, 0);

    public Device {
        if (type == null) {
            throw new IllegalArgumentException("device type must not be null");
        }
        if (index < 0 || (type == Type.CPU && index != 0)) {
            throw new IllegalArgumentException("invalid device index " + index + " for " + type);
        }
    }

    public static Device cuda(int index) {
        return new Device(Type.CUDA, index);
    }

    /** Parses "cpu", "cuda" or "cuda:N", as PyTorch spells devices. */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("unknown device '" + spec + "'; expected cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
