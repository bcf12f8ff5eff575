// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title DemoUsd
/// @notice A 6-decimal demo dollar for the demo chain and tests, shaped like USDC where payments touch it: EIP-2612
/// `permit` (OpenZeppelin's ERC20Permit) and EIP-3009 `transferWithAuthorization`, `receiveWithAuthorization` and
/// `cancelAuthorization` with USDC's typehashes, events and overloads (v, r, s or one `bytes` signature), all under
/// the EIP-712 domain (name "Tollgate Demo USD", version "1", chain id, this contract) that x402's `exact` scheme
/// signs against (`extra.name`, `extra.version` = {name}, {version}). Signatures of an EOA are ECDSA with low s
/// (OpenZeppelin's ECDSA refuses the malleable high-s twin); a signer with code is asked through ERC-1271. An open
/// faucet hands out at most `FAUCET_LIMIT` per call: never deploy it where its tokens are meant to be worth anything.
contract DemoUsd is ERC20, ERC20Permit {
    /// @notice The most one `faucet` call hands out: a million demo dollars.
    uint256 public constant FAUCET_LIMIT = 1_000_000 * 10 ** 6;

    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,
    /// uint256 validBefore,bytes32 nonce)"), as EIP-3009 and USDC.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,
    /// uint256 validBefore,bytes32 nonce)"), as EIP-3009 and USDC.
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)"), as EIP-3009 and USDC.
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    mapping(address authorizer => mapping(bytes32 nonce => bool)) private _authorizationStates;

    /// @notice Asked the faucet for more than `FAUCET_LIMIT`.
    error FaucetLimitExceeded(uint256 asked, uint256 limit);
    /// @notice The authorization's `validAfter` has not passed yet (it is valid once block time is above it).
    error AuthorizationNotYetValid(uint256 validAfter, uint256 now_);
    /// @notice The authorization's `validBefore` has come (it is valid while block time is below it).
    error AuthorizationExpired(uint256 validBefore, uint256 now_);
    /// @notice The nonce was used or canceled by `authorizer` already.
    error AuthorizationUsedOrCanceled(address authorizer, bytes32 nonce);
    /// @notice The signature is not `authorizer`'s over the authorization.
    error InvalidAuthorizationSignature(address authorizer);
    /// @notice `receiveWithAuthorization` must be sent by its payee (`to`).
    error CallerMustBePayee(address caller, address payee);

    /// @notice EIP-3009: `authorizer`'s authorization `nonce` was used.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice EIP-3009: `authorizer` canceled the authorization `nonce` before it was used.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    constructor() ERC20("Tollgate Demo USD", "USDT-demo") ERC20Permit("Tollgate Demo USD") {}

    /// @notice 6, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice The version of the EIP-712 domain ("1", set by ERC20Permit), for x402's `extra.version`; USDC
    /// exposes the same view.
    function version() external view returns (string memory) {
        return _EIP712Version();
    }

    /// @notice Mints `amount` to the caller; emits {Transfer} from address(0).
    function faucet(uint256 amount) external {
        if (amount > FAUCET_LIMIT) revert FaucetLimitExceeded(amount, FAUCET_LIMIT);
        _mint(msg.sender, amount);
    }

    // --------------------------------------------------------------------------------------------- EIP-3009

    /// @notice Whether `authorizer` used or canceled the authorization `nonce`.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @notice Anyone: moves `value` from `from` to `to` with `from`'s signed TransferWithAuthorization, valid
    /// while validAfter < block time < validBefore, each nonce once. Emits {AuthorizationUsed} and {Transfer}.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    /// @notice {transferWithAuthorization} with the signature as bytes (r ‖ s ‖ v for an EOA, or ERC-1271 data).
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice The payee `to` only: as {transferWithAuthorization} with `from`'s signed ReceiveWithAuthorization,
    /// so that an authorization seen in the mempool cannot be front-run into a transfer the payee did not send.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (msg.sender != to) revert CallerMustBePayee(msg.sender, to);
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    /// @notice {receiveWithAuthorization} with the signature as bytes.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external {
        if (msg.sender != to) revert CallerMustBePayee(msg.sender, to);
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice Anyone: cancels `authorizer`'s unused authorization `nonce` with its signed CancelAuthorization.
    /// Emits {AuthorizationCanceled}.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _cancelAuthorization(authorizer, nonce, abi.encodePacked(r, s, v));
    }

    /// @notice {cancelAuthorization} with the signature as bytes.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) external {
        _cancelAuthorization(authorizer, nonce, signature);
    }

    function _transferWithAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        if (block.timestamp <= validAfter) {
            revert AuthorizationNotYetValid(validAfter, block.timestamp);
        }
        if (block.timestamp >= validBefore) revert AuthorizationExpired(validBefore, block.timestamp);
        _requireUnused(from, nonce);
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
        if (!SignatureChecker.isValidSignatureNow(from, digest, signature)) {
            revert InvalidAuthorizationSignature(from);
        }
        _authorizationStates[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    function _cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) private {
        _requireUnused(authorizer, nonce);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
        if (!SignatureChecker.isValidSignatureNow(authorizer, digest, signature)) {
            revert InvalidAuthorizationSignature(authorizer);
        }
        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    function _requireUnused(address authorizer, bytes32 nonce) private view {
        if (_authorizationStates[authorizer][nonce]) revert AuthorizationUsedOrCanceled(authorizer, nonce);
    }
}
