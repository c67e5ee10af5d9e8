package io.kpipeline.streams.store;

/** How a write-behind store's values are stored; an empty value is deleted rather than written. */
public interface StoreCodec<V> {
    V decode(byte[] bytes);

    byte[] encode(V value);

    boolean isEmpty(V value);

    /**
     * A copy of a value that later changes to it in place do not reach (for the journal of one input's changes);
     * a codec whose values hold only immutable parts copies the holder alone.
     */
    default V copy(V value) {
        return decode(encode(value));
    }

    /** Values kept as the bytes they are stored as. */
    StoreCodec<byte[]> BYTES = new StoreCodec<>() {
        public byte[] decode(byte[] bytes) {
            return bytes;
        }

        public byte[] encode(byte[] value) {
            return value;
        }

        public boolean isEmpty(byte[] value) {
            return false;
        }

        public byte[] copy(byte[] value) {
            return value; // stored arrays are replaced, never written into
        }
    };
}
