package io.tollgate.contracts.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.methods.response.AbiDefinition;
import org.web3j.utils.Numeric;

/** Decodes revert data into the custom errors declared in the compiled ABIs (shipped in the jar): both releases of the Intermediary, the factory and the demo tokens. */
final class RevertDecoder {
    private record Declared(String name, List<AbiDefinition.NamedType> inputs) {}

    private static final Map<String, Declared> ERRORS =
            load("Intermediary", "IntermediaryRelease2", "IntermediaryFactory", "DemoToken", "DemoUsd");

    private RevertDecoder() {}

    static ChannelRevertedException decode(String call, String revertData) {
        if (revertData == null || revertData.length() < 10) {
            return new ChannelRevertedException(call, "unknown", List.of(), "no revert data");
        }
        String selector = revertData.substring(0, 10).toLowerCase();
        String payload = "0x" + revertData.substring(10);
        if (selector.equals("0x08c379a0")) {
            var reason = decodeArgs(payload, List.of(named("reason", "string")));
            return new ChannelRevertedException(call, "Error", reason, "Error(" + reason.getFirst() + ")");
        }
        Declared declared = ERRORS.get(selector);
        if (declared == null) {
            return new ChannelRevertedException(call, "unknown", List.of(), "unknown error " + revertData);
        }
        List<Object> args = decodeArgs(payload, declared.inputs());
        var rendered = new StringBuilder(declared.name()).append('(');
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                rendered.append(", ");
            }
            rendered.append(declared.inputs().get(i).getName()).append('=').append(render(args.get(i)));
        }
        return new ChannelRevertedException(
                call, declared.name(), args, rendered.append(')').toString());
    }

    private static Object render(Object value) {
        return value instanceof byte[] bytes ? Numeric.toHexString(bytes) : value;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Object> decodeArgs(String payload, List<AbiDefinition.NamedType> inputs) {
        List<TypeReference<Type>> types = new ArrayList<>();
        try {
            for (var input : inputs) {
                types.add((TypeReference) TypeReference.makeTypeReference(input.getType()));
            }
        } catch (ClassNotFoundException e) {
            return List.of(payload);
        }
        List<Object> values = new ArrayList<>();
        for (Type value : FunctionReturnDecoder.decode(payload, types)) {
            values.add(value.getValue());
        }
        return values;
    }

    private static AbiDefinition.NamedType named(String name, String type) {
        return new AbiDefinition.NamedType(name, type);
    }

    private static Map<String, Declared> load(String... contracts) {
        Map<String, Declared> errors = new HashMap<>();
        for (String contract : contracts) {
            try (InputStream in = RevertDecoder.class.getResourceAsStream("/solidity/" + contract + ".abi")) {
                if (in == null) {
                    continue;
                }
                AbiDefinition[] abi = ObjectMapperFactory.getObjectMapper().readValue(in, AbiDefinition[].class);
                for (AbiDefinition definition : abi) {
                    if (!"error".equals(definition.getType())) {
                        continue;
                    }
                    String signature = definition.getName() + "("
                            + String.join(
                                    ",",
                                    definition.getInputs().stream()
                                            .map(AbiDefinition.NamedType::getType)
                                            .toList())
                            + ")";
                    String selector =
                            Numeric.toHexString(Hash.sha3(signature.getBytes())).substring(0, 10);
                    errors.put(selector, new Declared(definition.getName(), definition.getInputs()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the ABI of " + contract, e);
            }
        }
        return Map.copyOf(errors);
    }
}
