// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";

/// Deliberately incompatible with release 1, for scripts/check-storage-layout.sh to show that upgrades-core
/// refuses it: the same ERC-7201 namespace and bases, but a field inserted in the middle of the storage struct
/// (every later field would read its neighbour's slot). Never deployed.
contract IntermediaryIncompatibleLayout is Initializable, EIP712Upgradeable, ReentrancyGuardTransient {
    /// @custom:storage-location erc7201:tollgate.storage.Intermediary
    struct IntermediaryStorage {
        address factory;
        address owner;
        address payout;
        address token;
        uint256 fee; // inserted: shifts every field below by one slot
        address operator;
        address pendingOperator;
        address pendingSigner;
        uint64 tolerance;
        uint64 closeDelay;
        uint64 activeEpoch;
        uint64 expiringEpoch;
        uint64 expiringUntil;
        uint64 closeAt;
        bool lastEpochStarted;
        bool closed;
        uint256 unredeemed;
        uint256 earnings;
        uint256 collateral;
        uint256 totalDeposited;
        uint256 upgradeNonce;
        mapping(uint64 epoch => uint256[]) prices;
        mapping(uint64 epoch => bytes32) priceTableHashes;
        mapping(uint64 epoch => address) signers;
        mapping(uint64 epoch => bool) redeemed;
        mapping(uint64 epoch => mapping(uint8 category => uint64)) redeemedCounts;
        Intermediary.Sla sla;
        mapping(uint64 window => bool) windowReported;
    }

    // keccak256(abi.encode(uint256(keccak256("tollgate.storage.Intermediary")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x133fe902d4e4916405fc839340cff6967dee66ded6746c9dd6b4d3e225ffc200;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize() external initializer {
        __EIP712_init("Tollgate Intermediary", "1");
    }

    /// The fee field, read where release 1 keeps the operator.
    function fee() external view returns (uint256) {
        return _storage().fee;
    }

    function _storage() private pure returns (IntermediaryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
