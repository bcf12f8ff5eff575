// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {ChannelFixture} from "./Fixtures.sol";

/// A test-only release 3: release 2's storage and code, one more function.
contract IntermediaryRelease3 is IntermediaryRelease2 {
    function version() external pure returns (uint256) {
        return 3;
    }
}

/// The factory of {ChannelFixture} with release 1 (its `channel` stays on release 1) and then release 2
/// registered, so new channels are created on release 2; helpers to sign and claim on release 2.
abstract contract Release2Fixture is ChannelFixture {
    uint64 internal constant WINDOW = 3600;
    uint64 internal constant PERIOD = 600;

    IntermediaryRelease2 internal release2;
    IntermediaryRelease2 internal ch;

    function setUp() public virtual override {
        super.setUp();
        release2 = new IntermediaryRelease2();
        factory.registerRelease(address(release2));
        ch = _create2(_prices2(1000, 2500), 1 ether, _noSla());
    }

    function _create2(uint256[] memory prices, uint256 value, Intermediary.Sla memory sla)
        internal
        returns (IntermediaryRelease2)
    {
        vm.deal(owner, owner.balance + value);
        vm.prank(owner);
        return IntermediaryRelease2(factory.createChannel{value: value}(_params(address(0), prices, sla)));
    }

    /// Release 2's SLA terms in the factory's (release 1) ABI: the `start` field carries the report period.
    function _terms2(uint8 quorum, uint64 reportPeriod) internal view returns (Intermediary.Sla memory terms) {
        terms.targetBps = 9900;
        terms.windowLength = WINDOW;
        terms.start = reportPeriod;
        terms.tiers = new Intermediary.PenaltyTier[](2);
        terms.tiers[0] = Intermediary.PenaltyTier({belowBps: 9900, penalty: 0.1 ether});
        terms.tiers[1] = Intermediary.PenaltyTier({belowBps: 9500, penalty: 0.3 ether});
        terms.monitors = new address[](3);
        terms.monitors[0] = vm.addr(MONITOR1_KEY);
        terms.monitors[1] = vm.addr(MONITOR2_KEY);
        terms.monitors[2] = vm.addr(MONITOR3_KEY);
        terms.quorum = quorum;
    }

    function _v(IntermediaryRelease2 c, uint64 epoch, uint8 category, uint64 count, uint64 claimed)
        internal
        view
        returns (IntermediaryRelease2.Redemption memory)
    {
        return _vBy(SIGNER_KEY, c, epoch, category, count, claimed);
    }

    function _vBy(uint256 key, IntermediaryRelease2 c, uint64 epoch, uint8 category, uint64 count, uint64 claimed)
        internal
        view
        returns (IntermediaryRelease2.Redemption memory)
    {
        (, bytes32 tableHash) = c.pricesOf(epoch);
        bytes memory sig = _sign(key, c.voucherDigest(epoch, category, count, tableHash));
        return IntermediaryRelease2.Redemption({category: category, count: count, claimed: claimed, signature: sig});
    }

    function _r1(IntermediaryRelease2.Redemption memory r)
        internal
        pure
        returns (IntermediaryRelease2.Redemption[] memory a)
    {
        a = new IntermediaryRelease2.Redemption[](1);
        a[0] = r;
    }

    function _r2(IntermediaryRelease2.Redemption memory r0, IntermediaryRelease2.Redemption memory r1)
        internal
        pure
        returns (IntermediaryRelease2.Redemption[] memory a)
    {
        a = new IntermediaryRelease2.Redemption[](2);
        a[0] = r0;
        a[1] = r1;
    }

    function _claimAs(address who, IntermediaryRelease2 c, uint64 epoch, IntermediaryRelease2.Redemption[] memory vs)
        internal
        returns (uint256)
    {
        vm.prank(who);
        return c.claim(epoch, vs);
    }

    function _rep(IntermediaryRelease2 c, uint256 key, uint64 window, uint32 bps)
        internal
        view
        returns (IntermediaryRelease2.WindowReport memory)
    {
        return IntermediaryRelease2.WindowReport({
            availabilityBps: bps, signature: _sign(key, c.windowReportDigest(window, bps))
        });
    }

    function _reps(IntermediaryRelease2.WindowReport memory a)
        internal
        pure
        returns (IntermediaryRelease2.WindowReport[] memory r)
    {
        r = new IntermediaryRelease2.WindowReport[](1);
        r[0] = a;
    }

    function _reps(IntermediaryRelease2.WindowReport memory a, IntermediaryRelease2.WindowReport memory b)
        internal
        pure
        returns (IntermediaryRelease2.WindowReport[] memory r)
    {
        r = new IntermediaryRelease2.WindowReport[](2);
        r[0] = a;
        r[1] = b;
    }

    /// Reports of all three monitors for `window`.
    function _reps3(IntermediaryRelease2 c, uint64 window, uint32 a, uint32 b, uint32 d)
        internal
        view
        returns (IntermediaryRelease2.WindowReport[] memory r)
    {
        r = new IntermediaryRelease2.WindowReport[](3);
        r[0] = _rep(c, MONITOR1_KEY, window, a);
        r[1] = _rep(c, MONITOR2_KEY, window, b);
        r[2] = _rep(c, MONITOR3_KEY, window, d);
    }

    function _upgradeConsents(IntermediaryRelease2 c, address impl, bytes memory data, uint256 deadline)
        internal
        view
        returns (bytes memory byOwner, bytes memory byPayout)
    {
        bytes32 digest = c.upgradeConsentDigest(impl, keccak256(data), c.upgradeNonce(), deadline);
        return (_sign(OWNER_KEY, digest), _sign(PAYOUT_KEY, digest));
    }

    /// A signature with the same r and the other s (n − s) and recovery id: ECDSA refuses it.
    function _highS(bytes memory sig) internal pure returns (bytes memory, bytes32 highS) {
        bytes32 r;
        bytes32 s;
        uint8 recid;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            recid := byte(0, mload(add(sig, 96)))
        }
        highS = bytes32(SECP256K1_N - uint256(s));
        return (abi.encodePacked(r, highS, recid == 27 ? uint8(28) : uint8(27)), highS);
    }

    function _bal(address c) internal view returns (uint256) {
        (,,, address token,,) = IntermediaryRelease2(c).parties();
        return token == address(0) ? c.balance : ERC20(token).balanceOf(c);
    }

    /// balance == unredeemed deposit + provider earnings + collateral (held collateral included)
    function _balanced(IntermediaryRelease2 c) internal view {
        IntermediaryRelease2.State memory s = c.state();
        assertEq(
            _bal(address(c)), s.unredeemed + s.earnings + s.collateral, "balance == deposit + earnings + collateral"
        );
    }
}
