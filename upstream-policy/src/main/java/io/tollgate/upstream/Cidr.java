package io.tollgate.upstream;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A network written as CIDR: {@code 10.0.0.0/8}, {@code fd00::/8}; a bare address is its own /32 or /128. */
public record Cidr(InetAddress network, int prefix) {

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of 0.." + bits + " for " + network);
        }
    }

    /** Parses a network; only address literals, never a host name (nothing is resolved). */
    public static Cidr parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!address.matches("[0-9a-fA-F:.]+") || !(address.contains(".") || address.contains(":"))) {
            throw new IllegalArgumentException("not a network in CIDR form (e.g. 10.0.0.0/8, fd00::/8): " + text);
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a network in CIDR form (e.g. 10.0.0.0/8, fd00::/8): " + text, e);
        }
        int bits = network.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: " + text, e);
        }
        return new Cidr(network, prefix);
    }

    /** Whether {@code address} (of the same family) lies in this network. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] address) {
        byte[] mine = network.getAddress();
        if (address.length != mine.length) {
            return false;
        }
        int shift = mine.length * 8 - prefix;
        return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, mine).shiftRight(shift));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
