// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ChannelFixture} from "./Fixtures.sol";

/// Holds the Solidity side to the EIP-712 vectors the Java code generates (src/test/resources/eip712-vectors.json):
/// the domain separator, type hash, struct hashes and digests computed here from the vectors' inputs must
/// equal the file's, each signature must recover to its signer, and a deployed channel's own
/// `voucherDigest` view must compute the same formula for its address.
contract Eip712VectorsTest is ChannelFixture {
    string internal json;

    function setUp() public override {
        super.setUp();
        json = vm.readFile("src/test/resources/eip712-vectors.json");
    }

    function _domain(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Tollgate Intermediary"),
                keccak256("1"),
                chainId,
                verifyingContract
            )
        );
    }

    function _key(uint256 i, string memory field) internal view returns (string memory) {
        return string.concat(".cases[", vm.toString(i), "].", field);
    }

    function testTheVectorsHoldInSolidity() public view {
        uint256 chainId = vm.parseJsonUint(json, ".chainId");
        address verifyingContract = vm.parseJsonAddress(json, ".verifyingContract");
        bytes32 domain = _domain(chainId, verifyingContract);
        assertEq(domain, vm.parseJsonBytes32(json, ".domainSeparator"), "domain separator");
        assertEq(channel.VOUCHER_TYPEHASH(), vm.parseJsonBytes32(json, ".voucherTypehash"), "type hash");
        address signerOfVectors = vm.parseJsonAddress(json, ".signer");

        for (uint256 i = 0; i < 4; i++) {
            uint256[] memory prices = vm.parseJsonUintArray(json, _key(i, "prices"));
            bytes32 tableHash = keccak256(abi.encodePacked(prices));
            assertEq(tableHash, vm.parseJsonBytes32(json, _key(i, "priceTableHash")), "price table hash");
            assertEq(channel.priceTableHash(prices), tableHash, "contract's price table hash");
            bytes32 structHash = keccak256(
                abi.encode(
                    channel.VOUCHER_TYPEHASH(),
                    uint64(vm.parseJsonUint(json, _key(i, "epoch"))),
                    uint8(vm.parseJsonUint(json, _key(i, "category"))),
                    uint64(vm.parseJsonUint(json, _key(i, "count"))),
                    tableHash
                )
            );
            assertEq(structHash, vm.parseJsonBytes32(json, _key(i, "structHash")), "struct hash");
            bytes32 digest = keccak256(abi.encodePacked(hex"1901", domain, structHash));
            assertEq(digest, vm.parseJsonBytes32(json, _key(i, "digest")), "digest");
            bytes memory signature = vm.parseJsonBytes(json, _key(i, "signature"));
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly {
                r := mload(add(signature, 32))
                s := mload(add(signature, 64))
                v := byte(0, mload(add(signature, 96)))
            }
            assertEq(ecrecover(digest, v, r, s), signerOfVectors, "signature recovers to the signer");
        }
    }

    function testADeployedChannelComputesTheSameFormula() public view {
        bytes32 tableHash = keccak256(abi.encodePacked(uint256(1000), uint256(2500)));
        bytes32 structHash =
            keccak256(abi.encode(channel.VOUCHER_TYPEHASH(), uint64(3), uint8(1), uint64(99), tableHash));
        bytes32 expected = keccak256(abi.encodePacked(hex"1901", _domain(block.chainid, address(channel)), structHash));
        assertEq(channel.voucherDigest(3, 1, 99, tableHash), expected, "channel's digest = the vectors' formula");
    }
}
