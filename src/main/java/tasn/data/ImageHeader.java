package tasn.data;

/**
 * What a file's first bytes and marker structure say, read without decoding any pixels: the
 * format (from the magic number, never the extension), the claimed size, whether the image
 * has an alpha channel, and whether the file is complete (a JPEG reaches its EOI marker, a PNG
 * its IEND chunk, ...). Decoders such as libjpeg only warn on a premature end and fill the rest
 * grey; checking the structure first turns that into a clean {@code truncated} reject, and
 * reading the size first lets a decompression bomb be refused before any allocation.
 */
record ImageHeader(Format format, int width, int height, boolean alpha, boolean complete) {

    enum Format { JPEG, PNG, BMP, GIF, WEBP }

    long pixels() {
        return (long) width * height;
    }

    /** Reads the header of a non-empty file; {@code name} only labels the messages. */
    static ImageHeader read(byte[] b, String name) throws ImageRejected {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return jpeg(b, name);
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return png(b, name);
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length >= 6 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return gif(b, name);
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return webp(b, name);
        }
        if (startsWith(b, 0, 'B', 'M') && b.length >= 18 && isBmpDibSize(u32le(b, 14))) {
            return bmp(b, name);
        }
        String other = otherImageFormat(b);
        if (other != null) {
            throw new ImageRejected(ImageRejected.UNSUPPORTED_FORMAT, name + ": " + other
                    + " images are not supported (supported: JPEG, PNG, BMP, GIF, WebP); convert the file or drop it from the listing");
        }
        throw new ImageRejected(ImageRejected.NOT_AN_IMAGE, name
                + ": the content is not an image (no JPEG, PNG, BMP, GIF or WebP signature in its first bytes)");
    }

    // ---- JPEG: walk the marker segments and the entropy-coded scans up to EOI ----

    private static ImageHeader jpeg(byte[] b, String name) throws ImageRejected {
        int width = -1;
        int height = -1;
        int components = 0;
        int pos = 2;
        while (true) {
            // A marker: one or more 0xFF fill bytes, then the code.
            if (pos >= b.length) {
                return jpegEnd(name, width, height, components, false);
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                throw corrupt(name, "JPEG marker expected at byte " + pos);
            }
            while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos >= b.length) {
                return jpegEnd(name, width, height, components, false);
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0xD9) { // EOI
                return jpegEnd(name, width, height, components, true);
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length field
                continue;
            }
            if (pos + 2 > b.length) {
                return jpegEnd(name, width, height, components, false);
            }
            int length = u16be(b, pos);
            if (length < 2) {
                throw corrupt(name, "JPEG segment length " + length + " at byte " + pos);
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame && width < 0) {
                if (pos + 8 > b.length) {
                    return jpegEnd(name, width, height, components, false);
                }
                height = u16be(b, pos + 3);
                width = u16be(b, pos + 5);
                components = b[pos + 7] & 0xFF;
            }
            pos += length;
            if (pos > b.length) {
                return jpegEnd(name, width, height, components, false);
            }
            if (marker == 0xDA) { // SOS: entropy-coded data runs to the next marker that is not RSTn or a stuffed 0xFF00
                while (pos + 1 < b.length) {
                    if ((b[pos] & 0xFF) == 0xFF) {
                        int next = b[pos + 1] & 0xFF;
                        if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) {
                            break;
                        }
                    }
                    pos++;
                }
                if (pos + 1 >= b.length) {
                    return jpegEnd(name, width, height, components, false);
                }
            }
        }
    }

    private static ImageHeader jpegEnd(String name, int width, int height, int components, boolean complete)
            throws ImageRejected {
        if (width < 0) {
            if (complete) {
                throw corrupt(name, "JPEG has no frame header (SOF marker)");
            }
            throw new ImageRejected(ImageRejected.TRUNCATED, name + ": JPEG ends before its frame header; the file is truncated");
        }
        if (width == 0 || height == 0) {
            throw corrupt(name, "JPEG frame header claims " + width + "x" + height + " pixels");
        }
        return new ImageHeader(Format.JPEG, width, height, false, complete && components > 0);
    }

    // ---- PNG: IHDR, then every chunk's length up to IEND ----

    private static ImageHeader png(byte[] b, String name) throws ImageRejected {
        if (b.length < 8 + 8 + 13) {
            throw new ImageRejected(ImageRejected.TRUNCATED, name + ": PNG ends before its IHDR header; the file is truncated");
        }
        if (!startsWith(b, 12, 'I', 'H', 'D', 'R')) {
            throw corrupt(name, "PNG does not start with an IHDR chunk");
        }
        long width = u32be(b, 16);
        long height = u32be(b, 20);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt(name, "PNG header claims " + width + "x" + height + " pixels");
        }
        int colourType = b[25] & 0xFF;
        boolean alpha = colourType == 4 || colourType == 6;
        boolean complete = false;
        long pos = 8;
        while (pos + 8 <= b.length) {
            long length = u32be(b, (int) pos);
            int type = (int) pos + 4;
            long end = pos + 12 + length;
            if (end > b.length) {
                break;
            }
            if (startsWith(b, type, 't', 'R', 'N', 'S') && colourType == 3) {
                alpha = true;
            }
            if (startsWith(b, type, 'I', 'E', 'N', 'D')) {
                complete = true;
                break;
            }
            pos = end;
        }
        return new ImageHeader(Format.PNG, (int) width, (int) height, alpha, complete);
    }

    // ---- GIF: logical screen, then blocks up to the end of the first image's data ----

    private static ImageHeader gif(byte[] b, String name) throws ImageRejected {
        if (b.length < 13) {
            throw new ImageRejected(ImageRejected.TRUNCATED, name + ": GIF ends before its screen descriptor; the file is truncated");
        }
        int width = u16le(b, 6);
        int height = u16le(b, 8);
        int pos = 13 + colourTableBytes(b[10]);
        boolean complete = false;
        while (pos < b.length) {
            int block = b[pos] & 0xFF;
            if (block == 0x21) { // extension: label, then sub-blocks
                pos = skipSubBlocks(b, pos + 2);
            } else if (block == 0x2C) { // image descriptor
                if (pos + 10 > b.length) {
                    break;
                }
                width = Math.max(width, u16le(b, pos + 1) + u16le(b, pos + 5));
                height = Math.max(height, u16le(b, pos + 3) + u16le(b, pos + 7));
                pos += 10 + colourTableBytes(b[pos + 9]) + 1; // + LZW minimum code size
                pos = skipSubBlocks(b, pos);
                complete = pos <= b.length;
                break; // only the first frame is decoded
            } else if (block == 0x3B) {
                break;
            } else {
                throw corrupt(name, "GIF block 0x" + Integer.toHexString(block) + " at byte " + pos);
            }
        }
        if (width == 0 || height == 0) {
            throw corrupt(name, "GIF claims " + width + "x" + height + " pixels");
        }
        return new ImageHeader(Format.GIF, width, height, false, complete);
    }

    private static int colourTableBytes(byte flags) {
        return (flags & 0x80) != 0 ? 3 * (1 << ((flags & 0x07) + 1)) : 0;
    }

    /** The position after a sub-block chain's terminator, or past the end when it is cut. */
    private static int skipSubBlocks(byte[] b, int pos) {
        while (pos < b.length) {
            int size = b[pos] & 0xFF;
            pos += 1 + size;
            if (size == 0) {
                return pos;
            }
        }
        return b.length + 1;
    }

    // ---- WebP: RIFF length, then the VP8 / VP8L / VP8X header ----

    private static ImageHeader webp(byte[] b, String name) throws ImageRejected {
        if (b.length < 30) {
            throw new ImageRejected(ImageRejected.TRUNCATED, name + ": WebP ends before its image header; the file is truncated");
        }
        boolean complete = 8 + u32le(b, 4) <= b.length;
        if (startsWith(b, 12, 'V', 'P', '8', ' ')) {
            if (!startsWith(b, 23, 0x9D, 0x01, 0x2A)) {
                throw corrupt(name, "WebP VP8 frame has no start code");
            }
            return new ImageHeader(Format.WEBP, u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF, false, complete);
        }
        if (startsWith(b, 12, 'V', 'P', '8', 'L')) {
            long bits = u32le(b, 21);
            int width = (int) (bits & 0x3FFF) + 1;
            int height = (int) ((bits >> 14) & 0x3FFF) + 1;
            boolean alpha = ((bits >> 28) & 1) != 0;
            return new ImageHeader(Format.WEBP, width, height, alpha, complete);
        }
        if (startsWith(b, 12, 'V', 'P', '8', 'X')) {
            int flags = b[20] & 0xFF;
            if ((flags & 0x02) != 0) {
                throw new ImageRejected(ImageRejected.UNSUPPORTED_FORMAT,
                        name + ": animated WebP images are not supported; extract one frame");
            }
            int width = u24le(b, 24) + 1;
            int height = u24le(b, 27) + 1;
            return new ImageHeader(Format.WEBP, width, height, (flags & 0x10) != 0, complete);
        }
        throw corrupt(name, "WebP has no VP8, VP8L or VP8X chunk");
    }

    // ---- BMP: file and info headers; complete when the pixel array fits ----

    private static boolean isBmpDibSize(long size) {
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108 || size == 124;
    }

    private static ImageHeader bmp(byte[] b, String name) throws ImageRejected {
        long dibSize = u32le(b, 14);
        if (b.length < 14 + Math.min(dibSize, 40)) {
            throw new ImageRejected(ImageRejected.TRUNCATED, name + ": BMP ends before its info header; the file is truncated");
        }
        long offset = u32le(b, 10);
        long width;
        long height;
        int bitsPerPixel;
        long compression = 0;
        if (dibSize == 12) {
            width = u16le(b, 18);
            height = u16le(b, 20);
            bitsPerPixel = u16le(b, 24);
        } else {
            width = (int) u32le(b, 18);
            height = Math.abs((long) (int) u32le(b, 22)); // negative height: top-down rows
            bitsPerPixel = u16le(b, 28);
            compression = u32le(b, 30);
        }
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt(name, "BMP header claims " + width + "x" + height + " pixels");
        }
        boolean complete;
        if (compression == 0 || compression == 3 || compression == 6) { // BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS
            long rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
            complete = offset + rowBytes * height <= b.length;
        } else {
            long fileSize = u32le(b, 2);
            complete = fileSize == 0 || fileSize <= b.length;
        }
        return new ImageHeader(Format.BMP, (int) width, (int) height, false, complete);
    }

    // ---- formats we recognise but do not decode ----

    private static String otherImageFormat(byte[] b) {
        if (startsWith(b, 0, 'I', 'I', 0x2A, 0x00) || startsWith(b, 0, 'M', 'M', 0x00, 0x2A)) {
            return "TIFF";
        }
        if (startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "JPEG 2000";
        }
        if (startsWith(b, 0, 0xFF, 0x0A) || startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
            return "JPEG XL";
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return "HEIF/AVIF (ISO media)";
        }
        if (startsWith(b, 0, '8', 'B', 'P', 'S')) {
            return "Photoshop (PSD)";
        }
        if (startsWith(b, 0, 0x00, 0x00, 0x01, 0x00) && b.length > 6) {
            return "Windows icon (ICO)";
        }
        if (b.length >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7' && Character.isWhitespace(b[2])) {
            return "Netpbm (PBM/PGM/PPM)";
        }
        if (startsWith(b, 0, 0x76, 0x2F, 0x31, 0x01)) {
            return "OpenEXR";
        }
        return null;
    }

    // ---- bytes ----

    private static ImageRejected corrupt(String name, String what) {
        return new ImageRejected(ImageRejected.DECODE_FAILED, name + ": corrupt image: " + what);
    }

    private static boolean startsWith(byte[] b, int at, int... expected) {
        if (at + expected.length > b.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int i) {
        return (long) u16be(b, i) << 16 | u16be(b, i + 2);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int u24le(byte[] b, int i) {
        return u16le(b, i) | (b[i + 2] & 0xFF) << 16;
    }

    private static long u32le(byte[] b, int i) {
        return u16le(b, i) | (long) u16le(b, i + 2) << 16;
    }
}
