package io.tollgate.marketplace.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Array;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.BytesType;
import org.web3j.abi.datatypes.NumericType;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the logs and calls of our contracts from their ABIs (the {@code solidity/*.abi} files the contracts
 * module compiles), with web3j's ABI decoder: an event becomes its name and its arguments by name; a call its
 * method name and, when its parameters are plain ABI types, its arguments (tuples stay undecoded).
 * Addresses come out lower-case, integers as decimal strings (exact, never floating point).
 */
public final class ContractAbi {
    /**
     * A decoded event or call: its name and its arguments in declaration order.
     *
     * @param args null for a call whose parameters include a tuple (left undecoded)
     */
    public record Decoded(String name, @Nullable Map<String, Object> args) {}

    /** A parameter; {@code reference} is empty for a tuple, which this decoder leaves alone. */
    private record Param(String name, String type, boolean indexed, Optional<TypeReference<Type>> reference) {}

    private record Spec(String name, List<Param> params) {}

    private final Map<String, Spec> events = new HashMap<>();
    private final Map<String, Spec> functions = new HashMap<>();

    public static ContractAbi ofTollgate() {
        // both releases of the Intermediary: events they share have the same signature, hence the same topic
        return new ContractAbi(List.of(
                "solidity/Intermediary.abi", "solidity/IntermediaryRelease2.abi", "solidity/IntermediaryFactory.abi"));
    }

    ContractAbi(List<String> resources) {
        var json = JsonMapper.shared();
        for (String resource : resources) {
            try (InputStream in = ContractAbi.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            resource + " is not on the classpath (the contracts module has it)");
                }
                for (JsonNode entry : json.readTree(in)) {
                    String kind = entry.path("type").asString();
                    if (!kind.equals("event") && !kind.equals("function")) {
                        continue;
                    }
                    String name = entry.get("name").asString();
                    List<String> types = new ArrayList<>();
                    List<Param> params = new ArrayList<>();
                    for (JsonNode input : entry.path("inputs")) {
                        String type = canonical(input);
                        types.add(type);
                        params.add(new Param(
                                input.path("name").asString(),
                                type,
                                input.path("indexed").asBoolean(false),
                                reference(type, input.path("indexed").asBoolean(false))));
                    }
                    String signature = name + "(" + String.join(",", types) + ")";
                    byte[] hash = Hash.sha3(signature.getBytes(StandardCharsets.UTF_8));
                    if (kind.equals("event")) {
                        events.put(Numeric.toHexString(hash), new Spec(name, params));
                    } else {
                        functions.put(Numeric.toHexString(hash).substring(0, 10), new Spec(name, params));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }

    /** The event {@code log} carries, when it is one of ours. */
    public Optional<Decoded> event(Log log) {
        if (log.getTopics().isEmpty()) {
            return Optional.empty();
        }
        Spec spec = events.get(log.getTopics().getFirst().toLowerCase(Locale.ROOT));
        if (spec == null) {
            return Optional.empty();
        }
        List<TypeReference<Type>> dataTypes = new ArrayList<>();
        for (Param p : spec.params()) {
            if (!p.indexed()) {
                dataTypes.add(p.reference().orElseThrow());
            }
        }
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), dataTypes);
        Map<String, Object> args = new LinkedHashMap<>();
        int topic = 1;
        int next = 0;
        for (Param p : spec.params()) {
            Type value = p.indexed()
                    ? FunctionReturnDecoder.decodeIndexedValue(
                            log.getTopics().get(topic++), p.reference().orElseThrow())
                    : data.get(next++);
            args.put(p.name(), plain(value));
        }
        return Optional.of(new Decoded(spec.name(), args));
    }

    /** The call {@code input} makes, by its 4-byte selector; arguments when they are plain ABI types. */
    public Optional<Decoded> call(String input) {
        if (input == null || input.length() < 10) {
            return Optional.empty();
        }
        Spec spec = functions.get(input.substring(0, 10).toLowerCase(Locale.ROOT));
        if (spec == null) {
            return Optional.empty();
        }
        if (spec.params().stream().anyMatch(p -> p.reference().isEmpty())) {
            return Optional.of(new Decoded(spec.name(), null));
        }
        List<TypeReference<Type>> types =
                spec.params().stream().map(p -> p.reference().orElseThrow()).toList();
        List<Type> values = FunctionReturnDecoder.decode("0x" + input.substring(10), types);
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            args.put(spec.params().get(i).name(), plain(values.get(i)));
        }
        return Optional.of(new Decoded(spec.name(), args));
    }

    private static String canonical(JsonNode input) {
        String type = input.get("type").asString();
        if (!type.startsWith("tuple")) {
            return type;
        }
        List<String> parts = new ArrayList<>();
        input.path("components").forEach(c -> parts.add(canonical(c)));
        return "(" + String.join(",", parts) + ")" + type.substring("tuple".length());
    }

    /** web3j's type for a canonical ABI type; empty for tuples, which this decoder leaves alone. */
    @SuppressWarnings("unchecked")
    private static Optional<TypeReference<Type>> reference(String type, boolean indexed) {
        if (type.startsWith("(")) {
            return Optional.empty();
        }
        try {
            return Optional.of((TypeReference<Type>) TypeReference.makeTypeReference(type, indexed, false));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no web3j type for ABI type " + type, e);
        }
    }

    private static Object plain(Type value) {
        return switch (value) {
            case Address a -> a.getValue().toLowerCase(Locale.ROOT);
            case NumericType n -> ((BigInteger) n.getValue()).toString();
            case Bool b -> b.getValue();
            case BytesType b -> Numeric.toHexString(b.getValue());
            case Utf8String s -> s.getValue();
            case Array<?> array ->
                array.getValue().stream().map(v -> plain((Type) v)).toList();
            default -> String.valueOf(value.getValue());
        };
    }
}
