// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {CheatTest} from "./Cheats.sol";
import {DemoUsd} from "../../main/solidity/DemoUsd.sol";

/// A contract wallet (ERC-1271) whose owner key signs for it.
contract OwnedWallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? this.isValidSignature.selector : bytes4(0);
    }
}

/// Signing helpers for DemoUsd's EIP-712 messages, the domain computed here independently of the token.
abstract contract DemoUsdFixture is CheatTest {
    uint256 internal constant ALICE_KEY = 0xA11CE;
    uint256 internal constant BOB_KEY = 0xB0B;
    uint256 internal constant MALLORY_KEY = 0xBAD;
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    // the typehashes as EIP-2612, EIP-3009 and USDC publish them (literals, not recomputed from the contract)
    bytes32 internal constant PERMIT_TYPEHASH = 0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9;
    bytes32 internal constant TRANSFER_TYPEHASH = 0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267;
    bytes32 internal constant RECEIVE_TYPEHASH = 0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8;
    bytes32 internal constant CANCEL_TYPEHASH = 0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429;

    function _domain(address token) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Tollgate Demo USD"),
                keccak256("1"),
                block.chainid,
                token
            )
        );
    }

    function _digest(address token, bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", _domain(token), structHash));
    }

    function _permitDigest(
        address token,
        address owner_,
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        return _digest(token, keccak256(abi.encode(PERMIT_TYPEHASH, owner_, spender, value, nonce, deadline)));
    }

    /// An EIP-3009 authorization's fields.
    struct Auth {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
    }

    function _auth(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce)
        internal
        pure
        returns (Auth memory)
    {
        return Auth(from, to, value, validAfter, validBefore, nonce);
    }

    function _authDigest(address token, bytes32 typehash, Auth memory a) internal view returns (bytes32) {
        return
            _digest(token, keccak256(abi.encode(typehash, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce)));
    }

    function _permitDigestOf(DemoUsd token, address owner_, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _permitDigest(address(token), owner_, spender, value, token.nonces(owner_), deadline);
    }

    /// (v, r, s) of `key` over the permit for `value` to `spender` at the owner's current nonce.
    function _signPermit(DemoUsd token, uint256 key, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 digest = _permitDigestOf(token, vm.addr(key), spender, value, deadline);
        return vm.sign(key, digest);
    }
}

contract DemoUsdTest is DemoUsdFixture {
    DemoUsd internal token;
    address internal alice = vm.addr(ALICE_KEY);
    address internal bob = vm.addr(BOB_KEY);
    address internal mallory = vm.addr(MALLORY_KEY);
    uint256 internal constant DOLLAR = 1e6;
    /// The validBefore of most authorizations here: a minute after setUp's time.
    uint256 internal until;

    function setUp() public {
        vm.warp(1_800_000_000);
        until = block.timestamp + 60;
        token = new DemoUsd();
        vm.prank(alice);
        token.faucet(1_000 * DOLLAR);
    }

    // ------------------------------------------------------------------------------------------ the token

    function testIsASixDecimalDollarUnderItsDocumentedDomain() public view {
        assertEq(token.decimals(), 6, "decimals");
        assertEq(keccak256(bytes(token.name())), keccak256("Tollgate Demo USD"), "name");
        assertEq(keccak256(bytes(token.symbol())), keccak256("USDT-demo"), "symbol");
        assertEq(keccak256(bytes(token.version())), keccak256("1"), "version()");
        (, string memory name, string memory version,, address verifyingContract,,) = token.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("Tollgate Demo USD"), "EIP-712 name");
        assertEq(keccak256(bytes(version)), keccak256(bytes(token.version())), "EIP-712 version = version()");
        assertEq(verifyingContract, address(token), "verifying contract");
        assertEq(token.DOMAIN_SEPARATOR(), _domain(address(token)), "domain separator");
    }

    function testTypehashesAreEip3009s() public view {
        assertEq(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), TRANSFER_TYPEHASH, "transfer");
        assertEq(token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), RECEIVE_TYPEHASH, "receive");
        assertEq(token.CANCEL_AUTHORIZATION_TYPEHASH(), CANCEL_TYPEHASH, "cancel");
        assertEq(
            PERMIT_TYPEHASH,
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
            "permit literal"
        );
    }

    function testFaucetMintsUpToItsLimit() public {
        uint256 limit = token.FAUCET_LIMIT();
        assertEq(limit, 1_000_000 * DOLLAR, "a million dollars a call");
        vm.prank(bob);
        token.faucet(limit);
        assertEq(token.balanceOf(bob), limit, "bob's balance");
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.FaucetLimitExceeded.selector, limit + 1, limit));
        token.faucet(limit + 1);
    }

    // --------------------------------------------------------------------------------------------- permit

    function testPermitSetsTheAllowanceAndUsesTheNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(token, ALICE_KEY, bob, 250 * DOLLAR, deadline);
        token.permit(alice, bob, 250 * DOLLAR, deadline, v, r, s); // anyone may submit it
        assertEq(token.allowance(alice, bob), 250 * DOLLAR, "allowance");
        assertEq(token.nonces(alice), 1, "nonce used");
        vm.prank(bob);
        token.transferFrom(alice, bob, 250 * DOLLAR);
        assertEq(token.balanceOf(bob), 250 * DOLLAR, "bob got it");
        assertEq(token.balanceOf(alice), 750 * DOLLAR, "alice paid it");
    }

    function testAnExpiredPermitIsRefused() public {
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(token, ALICE_KEY, bob, 1, deadline);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(alice, bob, 1, deadline, v, r, s);
        assertEq(token.allowance(alice, bob), 0, "no allowance");
    }

    function testAPermitSignedByAnotherKeyIsRefused() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(MALLORY_KEY, _permitDigest(address(token), alice, mallory, 1, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, mallory, alice));
        token.permit(alice, mallory, 1, deadline, v, r, s);
        assertEq(token.nonces(alice), 0, "nonce untouched");
    }

    function testAPermitCannotBeReplayed() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(token, ALICE_KEY, bob, 5 * DOLLAR, deadline);
        token.permit(alice, bob, 5 * DOLLAR, deadline, v, r, s);
        vm.prank(bob);
        token.transferFrom(alice, bob, 5 * DOLLAR);
        // the nonce moved on: the same signature now recovers some other address
        vm.expectPartialRevert(ERC20Permit.ERC2612InvalidSigner.selector);
        token.permit(alice, bob, 5 * DOLLAR, deadline, v, r, s);
        assertEq(token.allowance(alice, bob), 0, "spent, not renewed");
    }

    function testAHighSPermitIsRefused() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(token, ALICE_KEY, bob, 1, deadline);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        token.permit(alice, bob, 1, deadline, v == 27 ? 28 : 27, r, highS);
    }

    // ------------------------------------------------------------------------------------------- EIP-3009

    function _signAuth(uint256 key, bytes32 typehash, Auth memory a)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        return vm.sign(key, _authDigest(address(token), typehash, a));
    }

    function testTransferWithAuthorizationMovesExactlyTheValue() public {
        bytes32 nonce = keccak256("x402 payment 1");
        uint256 validAfter = block.timestamp - 600;
        uint256 validBefore = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 1234567, validAfter, validBefore, nonce));
        vm.expectEmit(true, true, false, true);
        emit DemoUsd.AuthorizationUsed(alice, nonce);
        vm.prank(mallory); // a facilitator: anyone may submit it
        token.transferWithAuthorization(alice, bob, 1234567, validAfter, validBefore, nonce, v, r, s);
        assertEq(token.balanceOf(bob), 1234567, "payee got the value");
        assertEq(token.balanceOf(alice), 1_000 * DOLLAR - 1234567, "payer paid the value");
        assertEq(token.balanceOf(mallory), 0, "the submitter got nothing");
        assertTrue(token.authorizationState(alice, nonce), "nonce used");
        assertTrue(!token.authorizationState(bob, nonce), "per authorizer");
    }

    function testTransferWithAuthorizationTakesOneBytesSignature() public {
        bytes32 nonce = bytes32(uint256(7));
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, 0, block.timestamp + 60, nonce));
        token.transferWithAuthorization(alice, bob, 10, 0, block.timestamp + 60, nonce, abi.encodePacked(r, s, v));
        assertEq(token.balanceOf(bob), 10, "paid");
    }

    function testAReplayedNonceIsRefused() public {
        bytes32 nonce = bytes32(uint256(1));
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, 0, until, nonce));
        token.transferWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationUsedOrCanceled.selector, alice, nonce));
        token.transferWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        // another message under the used nonce is refused too
        (v, r, s) = _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 20, 0, until, nonce));
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationUsedOrCanceled.selector, alice, nonce));
        token.transferWithAuthorization(alice, bob, 20, 0, until, nonce, v, r, s);
        assertEq(token.balanceOf(bob), 10, "paid once");
    }

    function testAnAuthorizationIsValidStrictlyBetweenItsTimes() public {
        bytes32 nonce = bytes32(uint256(2));
        uint256 validAfter = block.timestamp + 100;
        uint256 validBefore = block.timestamp + 200;
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, validAfter, validBefore, nonce));

        vm.warp(validAfter); // not after validAfter yet
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationNotYetValid.selector, validAfter, validAfter));
        token.transferWithAuthorization(alice, bob, 10, validAfter, validBefore, nonce, v, r, s);

        vm.warp(validBefore); // expired at validBefore
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationExpired.selector, validBefore, validBefore));
        token.transferWithAuthorization(alice, bob, 10, validAfter, validBefore, nonce, v, r, s);

        assertTrue(!token.authorizationState(alice, nonce), "refusals leave the nonce unused");
        vm.warp(validAfter + 1);
        token.transferWithAuthorization(alice, bob, 10, validAfter, validBefore, nonce, v, r, s);
        assertEq(token.balanceOf(bob), 10, "paid inside the window");
    }

    function testAnAuthorizationSignedByAnotherKeyIsRefused() public {
        bytes32 nonce = bytes32(uint256(3));
        // mallory signs alice's transfer to herself
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            MALLORY_KEY, _authDigest(address(token), TRANSFER_TYPEHASH, _auth(alice, mallory, 10, 0, until, nonce))
        );
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.InvalidAuthorizationSignature.selector, alice));
        token.transferWithAuthorization(alice, mallory, 10, 0, until, nonce, v, r, s);
        // alice's signature for bob does not pay mallory
        (v, r, s) = _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, 0, until, nonce));
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.InvalidAuthorizationSignature.selector, alice));
        token.transferWithAuthorization(alice, mallory, 10, 0, until, nonce, v, r, s);
        assertEq(token.balanceOf(mallory), 0, "mallory got nothing");
    }

    function testAHighSAuthorizationIsRefused() public {
        bytes32 nonce = bytes32(uint256(4));
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, 0, until, nonce));
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.InvalidAuthorizationSignature.selector, alice));
        token.transferWithAuthorization(alice, bob, 10, 0, until, nonce, v == 27 ? 28 : 27, r, highS);
    }

    function testReceiveWithAuthorizationOnlyByThePayee() public {
        bytes32 nonce = bytes32(uint256(5));
        (uint8 v, bytes32 r, bytes32 s) = _signAuth(ALICE_KEY, RECEIVE_TYPEHASH, _auth(alice, bob, 10, 0, until, nonce));
        // front-running: someone who saw it in the mempool submits it first
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.CallerMustBePayee.selector, mallory, bob));
        token.receiveWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.CallerMustBePayee.selector, mallory, bob));
        token.receiveWithAuthorization(alice, bob, 10, 0, until, nonce, abi.encodePacked(r, s, v));
        // nor can it be played as a transferWithAuthorization: another typehash
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.InvalidAuthorizationSignature.selector, alice));
        token.transferWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        assertTrue(!token.authorizationState(alice, nonce), "still unused");

        vm.prank(bob);
        token.receiveWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        assertEq(token.balanceOf(bob), 10, "the payee received it");
        assertTrue(token.authorizationState(alice, nonce), "used");
    }

    function testACanceledAuthorizationCannotBeUsed() public {
        bytes32 nonce = bytes32(uint256(6));
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, 0, until, nonce));
        (uint8 cv, bytes32 cr, bytes32 cs) =
            vm.sign(ALICE_KEY, _digest(address(token), keccak256(abi.encode(CANCEL_TYPEHASH, alice, nonce))));

        _refuseCancelSignedByMallory(nonce);

        vm.expectEmit(true, true, false, true);
        emit DemoUsd.AuthorizationCanceled(alice, nonce);
        vm.prank(mallory); // anyone may submit alice's cancellation
        token.cancelAuthorization(alice, nonce, cv, cr, cs);
        assertTrue(token.authorizationState(alice, nonce), "canceled");

        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationUsedOrCanceled.selector, alice, nonce));
        token.transferWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationUsedOrCanceled.selector, alice, nonce));
        token.cancelAuthorization(alice, nonce, abi.encodePacked(cr, cs, cv));
        assertEq(token.balanceOf(bob), 0, "nothing moved");
    }

    /// a cancellation signed by someone else is refused
    function _refuseCancelSignedByMallory(bytes32 nonce) internal {
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(MALLORY_KEY, _digest(address(token), keccak256(abi.encode(CANCEL_TYPEHASH, alice, nonce))));
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.InvalidAuthorizationSignature.selector, alice));
        token.cancelAuthorization(alice, nonce, v, r, s);
    }

    function testAUsedAuthorizationCannotBeCanceled() public {
        bytes32 nonce = bytes32(uint256(8));
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, 10, 0, until, nonce));
        token.transferWithAuthorization(alice, bob, 10, 0, until, nonce, v, r, s);
        (v, r, s) = vm.sign(ALICE_KEY, _digest(address(token), keccak256(abi.encode(CANCEL_TYPEHASH, alice, nonce))));
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.AuthorizationUsedOrCanceled.selector, alice, nonce));
        token.cancelAuthorization(alice, nonce, v, r, s);
    }

    function testAContractWalletAuthorizesThroughErc1271() public {
        OwnedWallet wallet = new OwnedWallet(alice);
        vm.prank(address(wallet));
        token.faucet(100);
        bytes32 nonce = bytes32(uint256(9));
        bytes32 digest =
            _authDigest(address(token), TRANSFER_TYPEHASH, _auth(address(wallet), bob, 40, 0, until, nonce));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ALICE_KEY, digest);
        token.transferWithAuthorization(address(wallet), bob, 40, 0, until, nonce, abi.encodePacked(r, s, v));
        assertEq(token.balanceOf(bob), 40, "paid from the wallet");
        (v, r, s) = vm.sign(MALLORY_KEY, keccak256(abi.encode(digest, "other")));
        vm.expectRevert(abi.encodeWithSelector(DemoUsd.InvalidAuthorizationSignature.selector, address(wallet)));
        token.transferWithAuthorization(address(wallet), bob, 40, 0, until, bytes32(uint256(10)), v, r, s);
    }

    function _payBob(uint256 value, bytes32 nonce) internal {
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuth(ALICE_KEY, TRANSFER_TYPEHASH, _auth(alice, bob, value, 0, until, nonce));
        token.transferWithAuthorization(alice, bob, value, 0, until, nonce, v, r, s);
    }

    function testFuzzAuthorizedTransfersAddUp(uint64 a, uint64 b, bytes32 n1, bytes32 n2) public {
        vm.assume(n1 != n2);
        uint256 first = bound(a, 0, 500 * DOLLAR);
        uint256 second = bound(b, 0, 500 * DOLLAR);
        _payBob(first, n1);
        _payBob(second, n2);
        assertEq(token.balanceOf(bob), first + second, "bob");
        assertEq(token.balanceOf(alice) + token.balanceOf(bob), 1_000 * DOLLAR, "conserved");
    }
}
