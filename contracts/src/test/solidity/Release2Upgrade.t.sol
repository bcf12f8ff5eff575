// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {ChannelFixture} from "./Fixtures.sol";
import {Release2Fixture} from "./Release2Fixtures.sol";

/// Live release-1 channels upgraded to release 2 with both parties' consent keep every balance to the wei,
/// whatever phase they are in; and the data of an upgrade sent through release 1's code (whose consent does
/// not cover it) cannot hurt.
contract Release2UpgradeTest is Release2Fixture {
    address internal attacker = address(0xA77AC);
    Intermediary internal live; // release 1, SLA, an epoch finished and one expiring
    Intermediary internal last; // release 1, close requested, its last epoch finished

    function setUp() public override {
        vm.warp(1_760_000_000);
        ChannelFixture.setUp(); // release 1 only, and its `channel`
        live = _create(address(0), _prices2(1000, 2500), 2 ether, _slaTerms1());
        last = _create(address(0), _prices2(1000, 2500), 1 ether, _noSla());
        vm.deal(payout, 10 ether);
        vm.prank(payout);
        live.depositCollateral{value: 0.5 ether}(0.5 ether);
        // live: epoch 1 finished, window 0 reported, epoch 2 expiring (epoch 3 active, new prices), a signer pending
        Intermediary.Redemption[] memory e1 = _two(_voucher(live, 1, 0, 7), _voucher(live, 1, 1, 3));
        _startRedemption(live, _prices2(1100, 2600));
        _finish(live, 1, e1);
        vm.warp(live.slaTerms().start + WINDOW);
        live.reportWindow(0, _reports1(live, 0, 9400));
        // last: close requested, the last epoch started and finished
        vm.prank(owner);
        last.requestClose();
        Intermediary.Redemption[] memory l1 = _one(_voucher(last, 1, 0, 11));
        _startRedemption(last, _prices2(1, 1));
        _finish(last, 1, l1);

        _startRedemption(live, _prices2(1200, 2700));
        vm.prank(owner);
        live.rotateSigner(vm.addr(0x5162));
        vm.prank(owner);
        live.deposit{value: 0.25 ether}(0.25 ether);
        release2 = new IntermediaryRelease2();
        factory.registerRelease(address(release2));
    }

    function _slaTerms1() internal view returns (Intermediary.Sla memory terms) {
        terms = _terms2(2, 0); // release 1: start 0 is "now"
    }

    function _reports1(Intermediary c, uint64 window, uint32 bps)
        internal
        view
        returns (Intermediary.WindowReport[] memory r)
    {
        r = new Intermediary.WindowReport[](3);
        uint256[3] memory keys = [MONITOR1_KEY, MONITOR2_KEY, MONITOR3_KEY];
        for (uint256 i = 0; i < 3; i++) {
            r[i] = Intermediary.WindowReport(bps, _sign(keys[i], c.windowReportDigest(window, bps)));
        }
    }

    function _consents1(Intermediary c, address impl, uint256 deadline)
        internal
        view
        returns (bytes memory, bytes memory)
    {
        bytes32 digest = c.upgradeConsentDigest(impl, c.upgradeNonce(), deadline);
        return (_sign(OWNER_KEY, digest), _sign(PAYOUT_KEY, digest));
    }

    function _upgrade(Intermediary c, bytes memory data) internal {
        uint256 deadline = block.timestamp + 1 hours;
        (bytes memory byOwner, bytes memory byPayout) = _consents1(c, address(release2), deadline);
        c.upgradeWithConsent(address(release2), data, deadline, byOwner, byPayout);
    }

    struct Snapshot {
        uint256 balance;
        uint256 unredeemed;
        uint256 earnings;
        uint256 collateral;
        uint256 totalDeposited;
        uint64 activeEpoch;
        uint64 expiringEpoch;
        uint64 expiringUntil;
        uint64 closeAt;
        address signer;
        address pendingSigner;
        address operator;
        uint256 upgradeNonce;
        bytes32 parties;
        bytes32 prices; // hash of every epoch's table, hash and signer
        bytes32 counts; // hash of every epoch's redeemed counts and flag
        bytes32 sla; // hash of the SLA terms and the windows reported
    }

    function _snapshot(address c) internal view returns (Snapshot memory snap) {
        Intermediary r1 = Intermediary(c); // the views both releases share, by the same ABI
        Intermediary.State memory s = r1.state();
        snap.balance = c.balance;
        snap.unredeemed = s.unredeemed;
        snap.earnings = s.earnings;
        snap.collateral = s.collateral;
        snap.totalDeposited = s.totalDeposited;
        snap.activeEpoch = s.activeEpoch;
        snap.expiringEpoch = s.expiringEpoch;
        snap.expiringUntil = s.expiringUntil;
        snap.closeAt = s.closeAt;
        snap.signer = s.signer;
        snap.pendingSigner = s.pendingSigner;
        snap.operator = s.operator;
        snap.upgradeNonce = r1.upgradeNonce();
        (address f, address o, address p, address t, uint64 tolerance, uint64 closeDelay) = r1.parties();
        snap.parties = keccak256(abi.encode(f, o, p, t, tolerance, closeDelay));
        for (uint64 e = 1; e <= s.activeEpoch + 1; e++) {
            (uint256[] memory prices, bytes32 tableHash) = r1.pricesOf(e);
            snap.prices = keccak256(abi.encode(snap.prices, prices, tableHash, r1.signerOf(e)));
            (uint64[] memory counts, bool redeemed) = r1.redeemedCounts(e);
            snap.counts = keccak256(abi.encode(snap.counts, counts, redeemed));
        }
        Intermediary.Sla memory terms = r1.slaTerms();
        snap.sla = keccak256(abi.encode(terms, r1.windowReported(0), r1.windowReported(1)));
    }

    function _assertSame(Snapshot memory a, Snapshot memory b) internal pure {
        assertEq(a.balance, b.balance, "balance");
        assertEq(a.unredeemed, b.unredeemed, "unredeemed");
        assertEq(a.earnings, b.earnings, "earnings");
        assertEq(a.collateral, b.collateral, "collateral");
        assertEq(a.totalDeposited, b.totalDeposited, "total deposited");
        assertEq(a.activeEpoch, b.activeEpoch, "active epoch");
        assertEq(a.expiringEpoch, b.expiringEpoch, "expiring epoch");
        assertEq(a.expiringUntil, b.expiringUntil, "expiring until");
        assertEq(a.closeAt, b.closeAt, "close at");
        assertEq(a.signer, b.signer, "signer");
        assertEq(a.pendingSigner, b.pendingSigner, "pending signer");
        assertEq(a.operator, b.operator, "operator");
        assertEq(a.upgradeNonce + 1, b.upgradeNonce, "nonce used once");
        assertEq(a.parties, b.parties, "parties");
        assertEq(a.prices, b.prices, "every epoch's prices, hashes, signers");
        assertEq(a.counts, b.counts, "every epoch's redeemed counts");
        assertEq(a.sla, b.sla, "SLA terms and reported windows");
    }

    // ------------------------------------------------------------------------------------------ balances

    function testAnUpgradeFromRelease1PreservesEveryBalanceToTheWei() public {
        Snapshot memory before = _snapshot(address(live));
        assertEq(before.expiringEpoch, 2, "set-up: epoch 2 expiring");
        assertEq(before.activeEpoch, 3, "set-up: epoch 3 active");
        assertEq(before.collateral, 0.2 ether, "set-up: window 0 paid 0.3 ether");
        _upgrade(live, "");
        IntermediaryRelease2 c = IntermediaryRelease2(address(live));
        assertEq(c.release(), 2, "runs release 2");
        assertEq(c.state().implementation, address(release2), "implementation slot");
        _assertSame(before, _snapshot(address(live)));
        _balanced(c);
    }

    function testAnUpgradedChannelInTheMiddleOfARedemptionGoesOnInRelease2() public {
        (uint64[] memory e1Counts,) = live.redeemedCounts(1);
        Intermediary.State memory r1 = live.state();
        // a voucher the consumer signed while the channel ran release 1 (release 1's EIP-712 digest)
        Intermediary.Redemption memory signedOnR1 = _voucher(live, 3, 0, 3);
        _upgrade(live, "");
        IntermediaryRelease2 c = IntermediaryRelease2(address(live));

        // the finished release-1 epoch is final
        IntermediaryRelease2.Redemption[] memory again = _r1(_v(c, 1, 0, 9, 9));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.EpochRedeemed.selector, 1));
        c.claim(1, again);
        (uint64 oldest, uint256 claimedValue, uint256 total) = c.credit();
        assertEq(oldest, 2, "credit starts after the finished epoch");
        assertEq(claimedValue, 0, "nothing claimed yet of epochs 2 and 3");
        assertEq(total, r1.unredeemed, "credit = deposit");
        assertEq(e1Counts[0], 7, "epoch 1's counts");

        // the expiring release-1 epoch is claimed in one step, at its prices, and stays open
        IntermediaryRelease2.State memory s = c.state();
        assertEq(s.expiringEpoch, 2, "still expiring");
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.EpochExpiring.selector, 2, s.expiringUntil));
        c.startEpoch(_prices2(1200, 2700));
        _claimAs(operator, c, 2, _r2(_v(c, 2, 0, 5, 5), _v(c, 2, 1, 1, 1)));
        _claimAs(operator, c, 2, _r1(_v(c, 2, 0, 6, 6)));
        assertEq(c.state().earnings, r1.earnings + 6 * 1100 + 2600, "epoch 2 at its prices, difference paid");
        // the active release-1 epoch too, with vouchers signed before the upgrade
        _claimAs(payout, c, 3, _r1(_v(c, 3, 1, 2, 2)));
        IntermediaryRelease2.Redemption memory old = IntermediaryRelease2.Redemption({
            category: signedOnR1.category,
            count: signedOnR1.count,
            claimed: signedOnR1.claimed,
            signature: signedOnR1.signature
        });
        _claimAs(operator, c, 3, _r1(old));
        (oldest, claimedValue, total) = c.credit();
        assertEq(oldest, 2, "oldest open epoch");
        assertEq(claimedValue, 6 * 1100 + 2600 + 2 * 2700 + 3 * 1200, "claimed value of epochs 2 and 3");
        assertEq(total, r1.unredeemed, "deposit + claimed value = the deposit before the claims");

        // after the tolerance a new epoch takes the signer release 1 left pending, with the same table
        vm.warp(s.expiringUntil);
        vm.prank(operator);
        c.startEpoch(_prices2(1200, 2700));
        assertEq(c.signerOf(4), vm.addr(0x5162), "the pending signer");
        (uint256[] memory prices,) = c.pricesOf(4);
        assertEq(prices[0], 1200, "epoch 3's table");
        _claimAs(operator, c, 4, _r1(_vBy(0x5162, c, 4, 0, 1, 1)));

        // the SLA goes on with release 1's terms: the report period is one window
        assertEq(c.reportPeriod(), WINDOW, "report period of a release-1 channel");
        IntermediaryRelease2.WindowReport[] memory w0 = _reps(_rep(c, MONITOR1_KEY, 0, 0));
        uint64 slaStart = c.slaTerms().start;
        vm.warp(slaStart + 2 * WINDOW);
        vm.expectRevert(
            abi.encodeWithSelector(IntermediaryRelease2.ReportPeriodOver.selector, 0, slaStart + 2 * WINDOW)
        );
        c.addReports(0, w0);
        c.addReports(1, _reps3(c, 1, 9800, 9800, 9000));
        c.settleWindow(1);
        assertEq(c.state().collateral, 0.1 ether, "window 1: 0.1 ether");
        _balanced(c);

        c.withdraw();
        assertEq(
            payout.balance,
            10 ether - 0.5 ether + r1.earnings + 6 * 1100 + 2600 + 2 * 2700 + 3 * 1200 + 1200,
            "the payout is paid every claim"
        );
    }

    function testAnUpgradedChannelWhoseLastEpochFinishedHasNothingToClaim() public {
        Snapshot memory before = _snapshot(address(last));
        _upgrade(last, "");
        _assertSame(before, _snapshot(address(last)));
        IntermediaryRelease2 c = IntermediaryRelease2(address(last));
        (uint64 oldest, uint256 claimedValue, uint256 total) = c.credit();
        assertEq(oldest, 2, "after the finished last epoch");
        assertEq(claimedValue, 0, "nothing open");
        assertEq(total, 1 ether - 11_000, "the deposit");
        IntermediaryRelease2.Redemption[] memory vs = _r1(_v(c, 1, 0, 12, 12));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.EpochRedeemed.selector, 1));
        c.claim(1, vs);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.CloseIsRequested.selector, before.closeAt));
        c.startEpoch(_prices2(1, 1));
        vm.warp(before.closeAt);
        uint256 ownerBefore = owner.balance;
        vm.prank(owner);
        c.close();
        assertEq(owner.balance - ownerBefore, 1 ether - 11_000, "refund to the wei");
        c.withdraw();
        assertEq(payout.balance, 10 ether - 0.5 ether + 11_000, "earnings to the wei");
        _balanced(c);
    }

    // ------------------------------------------------------------------------- data picked by the sender

    /// Release 1's consents cover the implementation, not the data, so the sender of an upgrade from release 1
    /// picks the data. Whatever it picks runs as a call by the sender inside upgradeWithConsent's reentrancy
    /// guard: a second initialisation reverts, every role-bound function checks the sender, and every function
    /// that moves money is guarded. The upgrade reverts with it, the channel stays on release 1.
    function testDataPickedByTheSenderOfARelease1UpgradeCannotHurt() public {
        Snapshot memory before = _snapshot(address(live));
        Intermediary.Params memory evil = _params(address(0), _prices2(0, 0), _noSla());
        evil.owner = attacker;
        evil.payout = attacker;
        evil.operator = attacker;
        evil.signer = attacker;
        IntermediaryRelease2.Redemption[] memory vs = _r1(_v(IntermediaryRelease2(address(live)), 3, 0, 5, 5));
        uint256[] memory zero = _prices2(0, 0);

        vm.startPrank(attacker);
        _refused(
            abi.encodeWithSelector(IntermediaryRelease2.initialize.selector, evil, attacker),
            abi.encodeWithSelector(Initializable.InvalidInitialization.selector)
        );
        _refused(
            abi.encodeCall(IntermediaryRelease2.claim, (3, vs)),
            abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, attacker)
        );
        _refused(
            abi.encodeCall(IntermediaryRelease2.startEpoch, (zero)),
            abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, attacker)
        );
        _refused(
            abi.encodeCall(IntermediaryRelease2.replaceOperator, (attacker)),
            abi.encodeWithSelector(IntermediaryRelease2.NotPayout.selector, attacker)
        );
        _refused(
            abi.encodeCall(IntermediaryRelease2.rotateSigner, (attacker)),
            abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, attacker)
        );
        _refused(
            abi.encodeCall(IntermediaryRelease2.requestClose, ()),
            abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, attacker)
        );
        bytes memory guarded = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        _refused(abi.encodeCall(IntermediaryRelease2.close, ()), guarded);
        _refused(abi.encodeCall(IntermediaryRelease2.withdraw, ()), guarded);
        _refused(abi.encodeCall(IntermediaryRelease2.settleWindow, (0)), guarded);
        _refused(abi.encodeCall(IntermediaryRelease2.deposit, (0)), guarded);
        _refused(abi.encodeCall(IntermediaryRelease2.upgradeWithConsent, (address(release2), "", 0, "", "")), guarded);
        _refused(
            abi.encodeCall(IntermediaryRelease2.claimFor, (operator, 3, vs)),
            abi.encodeWithSelector(IntermediaryRelease2.NotFactory.selector, attacker)
        );
        vm.stopPrank();
        _assertSameState(before, _snapshot(address(live)));
        assertEq(live.state().implementation, address(implementation), "still release 1");

        // a party's own role-bound call does only what it may do anyway: the payout replaces its operator
        uint256 ownerBefore = owner.balance;
        vm.startPrank(payout);
        _upgrade(live, abi.encodeCall(IntermediaryRelease2.replaceOperator, (address(0x0FF))));
        vm.stopPrank();
        IntermediaryRelease2 c = IntermediaryRelease2(address(live));
        assertEq(c.state().operator, address(0x0FF), "the payout replaced its operator, as it may");
        assertEq(owner.balance, ownerBefore, "no money moved");
        assertEq(c.state().unredeemed, before.unredeemed, "deposit intact");
        _balanced(c);
    }

    function _refused(bytes memory data, bytes memory err) internal {
        uint256 deadline = block.timestamp + 1 hours;
        (bytes memory byOwner, bytes memory byPayout) = _consents1(live, address(release2), deadline);
        vm.expectRevert(err);
        live.upgradeWithConsent(address(release2), data, deadline, byOwner, byPayout);
    }

    function _assertSameState(Snapshot memory a, Snapshot memory b) internal pure {
        b.upgradeNonce += 1; // no upgrade happened
        _assertSame(a, b);
    }
}
