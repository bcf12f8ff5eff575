// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {DemoToken} from "../../main/solidity/DemoToken.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {Release2Fixture} from "./Release2Fixtures.sol";

/// Release 2's SLA: reports added during a report period, settled on the median of all of them; a close
/// holds the collateral unsettled windows may still claim. Terms: 3 monitors, quorum 2, windows of 1 h, report
/// period 10 min, tiers 0.1 ether below 9900 bps and 0.3 ether below 9500 bps, collateral 0.5 ether.
contract Release2SlaTest is Release2Fixture {
    IntermediaryRelease2 internal sla;
    uint64 internal start;
    address internal m1 = vm.addr(MONITOR1_KEY);
    address internal m2 = vm.addr(MONITOR2_KEY);
    address internal m3 = vm.addr(MONITOR3_KEY);

    function setUp() public override {
        vm.warp(1_760_000_000);
        super.setUp();
        start = uint64(block.timestamp);
        sla = _create2(_prices2(1000, 2500), 1 ether, _terms2(2, PERIOD));
        vm.deal(payout, 10 ether);
        vm.prank(payout);
        sla.depositCollateral{value: 0.5 ether}(0.5 ether);
    }

    function _end(uint64 window) internal view returns (uint64) {
        return start + (window + 1) * WINDOW;
    }

    // ------------------------------------------------------------------------------------ cherry-picking

    /// Release 1 took the median of whichever quorum the first submitter chose: {0, 9990} gave 0 and the
    /// 0.3 ether tier. Release 2 settles early only once every monitor reported, else after the period, on
    /// the median of all reports added.
    function testCherryPickingTwoOfThreeReportsNoLongerMovesTheMedian() public {
        vm.warp(_end(0));
        // the cherry-picker adds the two reports that suit it and settles at once
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 0), _rep(sla, MONITOR2_KEY, 0, 9990)));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ReportPeriodRunning.selector, 0, _end(0) + PERIOD));
        sla.settleWindow(0);
        vm.warp(_end(0) + PERIOD - 1);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ReportPeriodRunning.selector, 0, _end(0) + PERIOD));
        sla.settleWindow(0);
        // anyone else adds the third
        vm.prank(address(0xCAFE));
        sla.addReports(0, _reps(_rep(sla, MONITOR3_KEY, 0, 10_000)));
        (uint32[] memory values, uint256 mask, bool settled,,,) = sla.windowReports(0);
        assertEq(mask, 7, "all three reported");
        assertEq(values[1], 9990, "monitor 2's report");
        assertTrue(!settled, "not settled yet");
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.WindowSettled(0, 9990, 3, 0);
        sla.settleWindow(0); // every monitor reported: no need to wait
        IntermediaryRelease2.State memory s = sla.state();
        assertEq(s.collateral, 0.5 ether, "the honest median (9990) meets the target: no penalty");
        assertEq(s.unredeemed, 1 ether, "the consumer got nothing it was not owed");
        assertTrue(sla.windowReported(0), "settled");
        _balanced(sla);
    }

    function testTheMedianOfAllReportsPaysTheHonestTier() public {
        vm.warp(_end(0));
        // the provider adds the two reports that suit it; the consumer's submitter the third
        sla.addReports(0, _reps(_rep(sla, MONITOR2_KEY, 0, 9400), _rep(sla, MONITOR3_KEY, 0, 10_000)));
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 9000)));
        sla.settleWindow(0);
        IntermediaryRelease2.State memory s = sla.state();
        assertEq(s.collateral, 0.2 ether, "median 9400 < 9500: 0.3 ether");
        assertEq(s.unredeemed, 1.3 ether, "into the consumer's deposit");
        (, uint256 claimedValue, uint256 total) = sla.credit();
        assertEq(total, 1.3 ether + claimedValue, "the gateway's credit grows with the penalty");
        _balanced(sla);
    }

    function testWithAMonitorDownTheQuorumSettlesAfterThePeriod() public {
        vm.warp(_end(0));
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 9800), _rep(sla, MONITOR3_KEY, 0, 9850)));
        vm.warp(_end(0) + PERIOD);
        IntermediaryRelease2.WindowReport[] memory late = _reps(_rep(sla, MONITOR2_KEY, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ReportPeriodOver.selector, 0, _end(0) + PERIOD));
        sla.addReports(0, late);
        sla.settleWindow(0);
        assertEq(sla.state().collateral, 0.4 ether, "median of two (the lower): 9800 < 9900: 0.1 ether");
    }

    // -------------------------------------------------------------------------------- settlement rules

    function testAWindowIsSettledOnce() public {
        vm.warp(_end(0));
        sla.addReports(0, _reps3(sla, 0, 9000, 9000, 9000));
        sla.settleWindow(0);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowAlreadySettled.selector, 0));
        sla.settleWindow(0);
        IntermediaryRelease2.WindowReport[] memory late = _reps(_rep(sla, MONITOR1_KEY, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowAlreadySettled.selector, 0));
        sla.addReports(0, late);
        assertEq(sla.state().collateral, 0.2 ether, "paid once");
    }

    function testASettlementExpiresTwoPeriodsAfterTheWindow() public {
        vm.warp(_end(0));
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 0), _rep(sla, MONITOR2_KEY, 0, 0)));
        vm.warp(_end(0) + 2 * PERIOD);
        vm.expectRevert(
            abi.encodeWithSelector(IntermediaryRelease2.SettlementExpired.selector, 0, _end(0) + 2 * PERIOD)
        );
        sla.settleWindow(0);
        // even with every monitor's report
        IntermediaryRelease2 other = _create2(_prices2(1, 1), 0, _terms2(2, PERIOD));
        uint64 otherEnd = uint64(block.timestamp) + WINDOW;
        vm.warp(otherEnd);
        other.addReports(0, _reps3(other, 0, 0, 0, 0));
        vm.warp(otherEnd + 2 * PERIOD);
        vm.expectRevert(
            abi.encodeWithSelector(IntermediaryRelease2.SettlementExpired.selector, 0, otherEnd + 2 * PERIOD)
        );
        other.settleWindow(0);
    }

    function testTooFewReportsSettleNothing() public {
        vm.warp(_end(0));
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 0)));
        vm.warp(_end(0) + PERIOD);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.TooFewReports.selector, 1, 2));
        sla.settleWindow(0);
        assertEq(sla.state().collateral, 0.5 ether, "nothing paid");
    }

    function testNoReportsMeansTooFewReports() public {
        vm.warp(_end(1) + PERIOD);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.TooFewReports.selector, 0, 2));
        sla.settleWindow(1);
    }

    function testAMonitorReportsOnce() public {
        vm.warp(_end(0));
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 9000)));
        IntermediaryRelease2.WindowReport[] memory again = _reps(_rep(sla, MONITOR1_KEY, 0, 10_000));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.MonitorAlreadyReported.selector, 0, m1));
        sla.addReports(0, again);
        IntermediaryRelease2.WindowReport[] memory twice =
            _reps(_rep(sla, MONITOR2_KEY, 0, 9000), _rep(sla, MONITOR2_KEY, 0, 9000));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.MonitorAlreadyReported.selector, 0, m2));
        sla.addReports(0, twice);
        (uint32[] memory values, uint256 mask,,,,) = sla.windowReports(0);
        assertEq(mask, 1, "only monitor 1");
        assertEq(values[0], 9000, "its first report stands");
    }

    function testAReportAfterThePeriodIsRefused() public {
        vm.warp(_end(0) + PERIOD);
        IntermediaryRelease2.WindowReport[] memory r = _reps(_rep(sla, MONITOR1_KEY, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ReportPeriodOver.selector, 0, _end(0) + PERIOD));
        sla.addReports(0, r);
    }

    function testAWindowThatIsNotOverIsRefused() public {
        vm.warp(_end(0) - 1);
        IntermediaryRelease2.WindowReport[] memory r = _reps(_rep(sla, MONITOR1_KEY, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowNotOver.selector, 0, _end(0)));
        sla.addReports(0, r);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowNotOver.selector, 0, _end(0)));
        sla.settleWindow(0);
    }

    /// Release 1 started windows at whatever `start` the marketplace prepared, so a consumer could wait for an
    /// outage and then create the channel with an earlier start. Release 2 starts them at creation; the field
    /// is the report period, and a timestamp put there is refused.
    function testAWindowBeforeCreationCannotBeReported() public {
        Intermediary.Sla memory terms = _terms2(2, PERIOD);
        IntermediaryRelease2 late = _create2(_prices2(1, 1), 0, terms);
        uint64 created = uint64(block.timestamp);
        assertEq(late.slaTerms().start, created, "windows start at creation");
        assertEq(late.reportPeriod(), PERIOD, "the field is the report period");
        (,,, uint64 endsAt, uint64 reportsUntil, uint64 settleUntil) = late.windowReports(0);
        assertEq(endsAt, created + WINDOW, "window 0 is the first hour after creation");
        assertEq(reportsUntil, endsAt + PERIOD, "reports until");
        assertEq(settleUntil, endsAt + 2 * PERIOD, "settlement until");
        // the monitors saw an outage in the hour before creation: no window covers it
        IntermediaryRelease2.WindowReport[] memory outage = _reps3(late, 0, 0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowNotOver.selector, 0, created + WINDOW));
        late.addReports(0, outage);
        // a creator passing an earlier start in the field (release 1's meaning) is refused
        terms.start = created - WINDOW;
        vm.expectRevert(
            abi.encodeWithSelector(IntermediaryRelease2.BadSla.selector, "report period must be 1 s to 16 windows")
        );
        factory.createChannel(_params(address(0), _prices2(1, 1), terms));
        // and one that fits a report period still starts at creation
        terms.start = 2 * WINDOW;
        vm.warp(created + 5);
        IntermediaryRelease2 other = _create2(_prices2(1, 1), 0, terms);
        assertEq(other.slaTerms().start, created + 5, "creation time, not the field");
        assertEq(other.reportPeriod(), 2 * WINDOW, "report period");
    }

    function testTheQuorumMustBeAMajorityAndTermsMustBeSound() public {
        _refusedTerms(_terms2(1, PERIOD), "quorum must be a majority of the monitors");
        _refusedTerms(_terms2(0, PERIOD), "quorum must be a majority of the monitors");
        _refusedTerms(_terms2(4, PERIOD), "quorum must be a majority of the monitors");
        Intermediary.Sla memory four = _terms2(2, PERIOD);
        address[] memory monitors = new address[](4);
        for (uint256 i = 0; i < 4; i++) {
            monitors[i] = address(uint160(0x1000 + i));
        }
        four.monitors = monitors;
        _refusedTerms(four, "quorum must be a majority of the monitors");
        four.quorum = 3;
        _create2(_prices2(1, 1), 0, four); // 3 of 4 is a majority

        _refusedTerms(_terms2(2, 0), "report period must be 1 s to 16 windows");
        _refusedTerms(_terms2(2, 16 * WINDOW + 1), "report period must be 1 s to 16 windows");
        _create2(_prices2(1, 1), 0, _terms2(2, 16 * WINDOW));
        Intermediary.Sla memory t = _terms2(2, PERIOD);
        t.windowLength = 0;
        _refusedTerms(t, "window length is zero");
        t = _terms2(2, PERIOD);
        t.targetBps = 10_001;
        _refusedTerms(t, "target above 10000 bps");
        t = _terms2(2, PERIOD);
        t.tiers = new Intermediary.PenaltyTier[](0);
        _refusedTerms(t, "1 to 8 tiers");
        t = _terms2(2, PERIOD);
        t.tiers[1].belowBps = 10_001;
        _refusedTerms(t, "tier above 10000 bps");
        t = _terms2(2, PERIOD);
        t.monitors = new address[](17);
        t.quorum = 9;
        _refusedTerms(t, "too many monitors");
        t = _terms2(2, PERIOD);
        t.monitors[2] = address(0);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ZeroAddress.selector, "monitor"));
        factory.createChannel(_params(address(0), _prices2(1, 1), t));
        t = _terms2(2, PERIOD);
        t.monitors[2] = t.monitors[0];
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.DuplicateMonitor.selector, t.monitors[0]));
        factory.createChannel(_params(address(0), _prices2(1, 1), t));
    }

    function _refusedTerms(Intermediary.Sla memory terms, string memory why) internal {
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.BadSla.selector, why));
        factory.createChannel(_params(address(0), _prices2(1, 1), terms));
    }

    function testReportsMustBeSignedByAMonitorForTheirWindowAndValue() public {
        vm.warp(_end(1));
        IntermediaryRelease2.WindowReport[] memory r = _reps(_rep(sla, 0xBAD, 1, 9000));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.UnknownMonitor.selector, vm.addr(0xBAD)));
        sla.addReports(1, r);
        r = _reps(_rep(sla, MONITOR1_KEY, 0, 9000)); // signed for window 0
        vm.expectPartialRevert(IntermediaryRelease2.UnknownMonitor.selector);
        sla.addReports(1, r);
        r = _reps(_rep(sla, MONITOR1_KEY, 1, 9000));
        r[0].availabilityBps = 9999; // another value than signed
        vm.expectPartialRevert(IntermediaryRelease2.UnknownMonitor.selector);
        sla.addReports(1, r);
        r = _reps(_rep(sla, MONITOR1_KEY, 1, 10_001));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.BadAvailability.selector, 10_001));
        sla.addReports(1, r);
        vm.expectRevert(IntermediaryRelease2.NoReports.selector);
        sla.addReports(1, new IntermediaryRelease2.WindowReport[](0));
        IntermediaryRelease2.WindowReport memory good = _rep(sla, MONITOR1_KEY, 1, 9000);
        (bytes memory malleated, bytes32 highS) = _highS(good.signature);
        good.signature = malleated;
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        sla.addReports(1, _reps(good));
    }

    function testAChannelWithoutSlaRefusesReportsSettlementsAndCollateral() public {
        vm.expectRevert(IntermediaryRelease2.NoSla.selector);
        ch.addReports(0, new IntermediaryRelease2.WindowReport[](0));
        vm.expectRevert(IntermediaryRelease2.NoSla.selector);
        ch.settleWindow(0);
        (,,, uint64 endsAt,,) = ch.windowReports(0);
        assertEq(endsAt, 0, "no windows");
    }

    function testExhaustedCollateralPaysWhatIsLeft() public {
        for (uint64 w = 0; w < 3; w++) {
            vm.warp(_end(w));
            sla.addReports(w, _reps3(sla, w, 1000, 1000, 1000));
            sla.settleWindow(w);
        }
        IntermediaryRelease2.State memory s = sla.state();
        assertEq(s.collateral, 0, "exhausted");
        assertEq(s.unredeemed, 1.5 ether, "0.3 + 0.2 + 0");
        _balanced(sla);
    }

    // ---------------------------------------------------------------------------------------------- close

    /// The provider closes right after a bad window ended, during its report period: the penalty is still paid
    /// (to the owner, the deposit being refunded already), the held collateral goes to the provider only
    /// once the window is settled, the rest at the close.
    function testACloseDuringAReportPeriodStillPaysThePenalty() public {
        vm.warp(_end(0) + 10);
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 9800), _rep(sla, MONITOR2_KEY, 0, 9850)));
        uint64 closedAt = uint64(block.timestamp);
        uint256 ownerBefore = owner.balance;
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.CollateralHeld(0.3 ether, _end(0) + 2 * PERIOD);
        vm.prank(payout);
        sla.close();
        IntermediaryRelease2.State memory s = sla.state();
        assertEq(owner.balance - ownerBefore, 1 ether, "deposit refunded");
        assertEq(s.collateral, 0.3 ether, "the largest penalty held for the one unsettled window");
        assertEq(s.earnings, 0.2 ether, "the rest to the provider at the close");
        assertEq(sla.heldUntil(), _end(0) + 2 * PERIOD, "held until the window's settlement ends");
        _balanced(sla);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.CollateralStillHeld.selector, _end(0) + 2 * PERIOD));
        sla.releaseCollateral();
        vm.prank(payout);
        vm.expectRevert(IntermediaryRelease2.ChannelClosed.selector);
        sla.depositCollateral{value: 1}(1);

        // the third monitor reports after the close; the window ended before it, so it still counts
        vm.warp(closedAt + 60);
        sla.addReports(0, _reps(_rep(sla, MONITOR3_KEY, 0, 9700)));
        // windows that end after the close are not reported
        vm.warp(_end(1));
        IntermediaryRelease2.WindowReport[] memory later = _reps(_rep(sla, MONITOR1_KEY, 1, 0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowAfterClose.selector, 1, closedAt));
        sla.addReports(1, later);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WindowAfterClose.selector, 1, closedAt));
        sla.settleWindow(1);

        vm.warp(_end(0) + PERIOD + 1);
        ownerBefore = owner.balance;
        sla.settleWindow(0);
        assertEq(owner.balance - ownerBefore, 0.1 ether, "median 9800 < 9900: 0.1 ether to the owner");
        assertEq(sla.state().collateral, 0.2 ether, "the rest still held");
        _balanced(sla);
        sla.releaseCollateral(); // settled: released before heldUntil
        s = sla.state();
        assertEq(s.collateral, 0, "released");
        assertEq(s.earnings, 0.4 ether, "the provider keeps collateral less the penalty");
        vm.expectRevert(IntermediaryRelease2.NothingHeld.selector);
        sla.releaseCollateral();
        sla.withdraw();
        assertEq(payout.balance, 10 ether - 0.5 ether + 0.4 ether, "payout");
        _balanced(sla);
    }

    function testHeldCollateralIsReleasedWhenTheSettlementTimeHasPassed() public {
        vm.warp(_end(0) + 10);
        sla.addReports(0, _reps(_rep(sla, MONITOR1_KEY, 0, 0)));
        vm.prank(payout);
        sla.close();
        uint64 until = sla.heldUntil();
        vm.warp(until - 1);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.CollateralStillHeld.selector, until));
        sla.releaseCollateral();
        vm.warp(until);
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.CollateralReleased(0.3 ether);
        sla.releaseCollateral();
        assertEq(sla.state().earnings, 0.5 ether, "all collateral to the provider");
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.SettlementExpired.selector, 0, until));
        sla.settleWindow(0);
        _balanced(sla);
    }

    function testACloseHoldsForEveryWindowThatMayStillClaim() public {
        // a report period of two windows: at the close, windows 0 and 1 may both still be settled
        IntermediaryRelease2 wide = _create2(_prices2(1, 1), 1 ether, _terms2(2, 2 * WINDOW));
        uint64 created = uint64(block.timestamp);
        vm.prank(payout);
        wide.depositCollateral{value: 1 ether}(1 ether);
        vm.warp(created + 2 * WINDOW + 1);
        vm.prank(payout);
        wide.close();
        assertEq(wide.state().collateral, 0.6 ether, "2 windows x 0.3 ether");
        assertEq(wide.state().earnings, 0.4 ether, "the rest");
        assertEq(wide.heldUntil(), created + 2 * WINDOW + 4 * WINDOW, "until window 1's settlement ends");
        _balanced(wide);

        // settled windows and windows whose settlement time passed hold nothing
        IntermediaryRelease2 other = _create2(_prices2(1, 1), 1 ether, _terms2(2, PERIOD));
        created = uint64(block.timestamp);
        vm.prank(payout);
        other.depositCollateral{value: 0.2 ether}(0.2 ether);
        vm.warp(created + WINDOW);
        other.addReports(0, _reps3(other, 0, 10_000, 10_000, 10_000));
        other.settleWindow(0);
        vm.warp(created + 3 * WINDOW + PERIOD); // window 1's settlement is over, window 2's running
        vm.prank(payout);
        other.close();
        assertEq(other.state().collateral, 0.2 ether, "window 2 holds (capped at the collateral)");
        assertEq(other.heldUntil(), created + 3 * WINDOW + 2 * PERIOD, "window 2's end + 2 periods");
        IntermediaryRelease2 third = _create2(_prices2(1, 1), 1 ether, _terms2(2, PERIOD));
        created = uint64(block.timestamp);
        vm.prank(payout);
        third.depositCollateral{value: 0.2 ether}(0.2 ether);
        vm.warp(created + WINDOW + 2 * PERIOD);
        vm.prank(payout);
        third.close();
        assertEq(third.state().collateral, 0, "window 0's settlement passed: nothing held");
        assertEq(third.heldUntil(), 0, "no hold");
        assertEq(third.state().earnings, 0.2 ether, "all to the provider");
    }

    /// The same on a token channel: claims, penalties and the refund move the token, never ether.
    function testATokenChannelPaysClaimsPenaltiesAndRefundsInItsToken() public {
        DemoToken token = new DemoToken();
        vm.prank(owner);
        IntermediaryRelease2 tc = IntermediaryRelease2(
            factory.createChannel(_params(address(token), _prices2(1000, 2500), _terms2(2, PERIOD)))
        );
        uint64 created = uint64(block.timestamp);
        vm.startPrank(owner);
        token.faucet(10 ether);
        token.approve(address(tc), 10 ether);
        tc.deposit(2 ether);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WrongValue.selector, 0, 1));
        tc.deposit{value: 1}(1);
        vm.stopPrank();
        vm.startPrank(payout);
        token.faucet(1 ether);
        token.approve(address(tc), 1 ether);
        tc.depositCollateral(1 ether);
        vm.stopPrank();
        _claimAs(operator, tc, 1, _r1(_v(tc, 1, 1, 4, 4)));
        vm.warp(created + WINDOW);
        tc.addReports(0, _reps(_rep(tc, MONITOR1_KEY, 0, 9000), _rep(tc, MONITOR2_KEY, 0, 9100)));
        vm.prank(payout);
        tc.close();
        assertEq(token.balanceOf(owner), 10 ether - 2 ether + 2 ether - 10_000, "refund in the token");
        assertEq(tc.state().collateral, 0.3 ether, "held");
        vm.warp(created + WINDOW + PERIOD);
        tc.settleWindow(0);
        assertEq(token.balanceOf(owner), 10 ether - 10_000 + 0.3 ether, "the penalty in the token, to the owner");
        vm.expectRevert(IntermediaryRelease2.NothingHeld.selector);
        tc.releaseCollateral();
        tc.withdraw();
        assertEq(token.balanceOf(payout), 0.7 ether + 10_000, "payout: the claim and the collateral less the penalty");
        assertEq(token.balanceOf(address(tc)), 0, "nothing left");
        assertEq(address(tc).balance, 0, "no ether");
        _balanced(tc);
    }
}
