// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {DemoUsd} from "../../main/solidity/DemoUsd.sol";
import {console} from "./Cheats.sol";
import {ChannelFixture} from "./Fixtures.sol";
import {Release2Fixture} from "./Release2Fixtures.sol";

/// Gas of each lifecycle call, measured around the call alone and logged as `gas <what>: <n>` for
/// scripts/gas-report.sh. finishRedemption is measured for k = 1, 4 and 16 categories with counts of 1 and
/// of 2^63 - 1: its gas must not depend on how many requests the vouchers count.
contract GasTest is ChannelFixture {
    event log_named_uint(string key, uint256 val);

    function _prices(uint256 k) internal pure returns (uint256[] memory p) {
        p = new uint256[](k);
        for (uint256 i = 0; i < k; i++) {
            p[i] = 1000 + i;
        }
    }

    function _finishGas(uint256 k, uint64 count) internal returns (uint256 used) {
        vm.deal(owner, 1000 ether);
        Intermediary c = _create(address(0), _prices(k), 100 ether, _noSla());
        Intermediary.Redemption[] memory vouchers = new Intermediary.Redemption[](k);
        for (uint256 i = 0; i < k; i++) {
            vouchers[i] = _voucher(c, 1, uint8(i), count);
        }
        _startRedemption(c, _prices(k));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        uint256 before = gasleft();
        c.finishRedemption(1, vouchers);
        used = before - gasleft();
    }

    function testGasOfFinishRedemptionDoesNotDependOnCounts() public {
        uint256[3] memory ks = [uint256(1), 4, 16];
        for (uint256 i = 0; i < 3; i++) {
            uint256 small = _finishGas(ks[i], 1);
            uint256 large = _finishGas(ks[i], type(uint64).max >> 1);
            emit log_named_uint(string.concat("gas finishRedemption k=", vm.toString(ks[i]), " count=1"), small);
            emit log_named_uint(string.concat("gas finishRedemption k=", vm.toString(ks[i]), " count=2^63-1"), large);
            // the same code path: only calldata bytes of the counts differ (≤ 16 gas per non-zero byte)
            uint256 diff = large > small ? large - small : small - large;
            assertTrue(diff <= 16 * 8 * ks[i], "gas independent of counts beyond calldata");
        }
    }

    function testGasOfTheLifecycle() public {
        vm.deal(owner, 10 ether);
        uint256 before = gasleft();
        vm.prank(owner);
        Intermediary c = Intermediary(factory.createChannel{value: 1 ether}(_params(address(0), _prices(4), _noSla())));
        emit log_named_uint("gas createChannel k=4", before - gasleft());

        vm.prank(owner);
        before = gasleft();
        c.deposit{value: 1 ether}(1 ether);
        emit log_named_uint("gas deposit (ether)", before - gasleft());

        Intermediary.Redemption[] memory vouchers = _one(_voucher(c, 1, 0, 10));
        vm.prank(operator);
        before = gasleft();
        c.startRedemption(_prices(4));
        emit log_named_uint("gas startRedemption k=4", before - gasleft());

        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        c.finishRedemption(1, vouchers);
        before = gasleft();
        c.withdraw();
        emit log_named_uint("gas withdraw", before - gasleft());

        vm.prank(payout);
        before = gasleft();
        c.close();
        emit log_named_uint("gas close", before - gasleft());
    }

    function testGasOfReportWindow() public {
        Intermediary.Sla memory terms;
        terms.targetBps = 9900;
        terms.windowLength = 3600;
        terms.tiers = new Intermediary.PenaltyTier[](2);
        terms.tiers[0] = Intermediary.PenaltyTier(9900, 0.1 ether);
        terms.tiers[1] = Intermediary.PenaltyTier(9500, 0.3 ether);
        terms.monitors = new address[](3);
        terms.monitors[0] = vm.addr(MONITOR1_KEY);
        terms.monitors[1] = vm.addr(MONITOR2_KEY);
        terms.monitors[2] = vm.addr(MONITOR3_KEY);
        terms.quorum = 2;
        Intermediary c = _create(address(0), _prices(2), 1 ether, terms);
        vm.deal(payout, 1 ether);
        vm.prank(payout);
        c.depositCollateral{value: 1 ether}(1 ether);
        vm.warp(block.timestamp + 3600);
        Intermediary.WindowReport[] memory reports = new Intermediary.WindowReport[](3);
        uint256[3] memory keys = [MONITOR1_KEY, MONITOR2_KEY, MONITOR3_KEY];
        for (uint256 i = 0; i < 3; i++) {
            reports[i] = Intermediary.WindowReport(9400, _sign(keys[i], c.windowReportDigest(0, 9400)));
        }
        uint256 before = gasleft();
        c.reportWindow(0, reports);
        emit log_named_uint("gas reportWindow 3 reports", before - gasleft());
        assertEq(c.state().collateral, 0.7 ether, "penalty paid");
    }
}

/// Release 2's calls, each measured on cold storage (`vm.cool`, as in a transaction of its own) and logged as
/// `gas <what>: <n>`. A claim is measured for k = 1, 4 and 16 categories, first (each count goes from 0) and in
/// the steady state (a later claim on the same epoch); the transaction's total adds the 21 000 base and the
/// calldata (EIP-2028).
contract Release2GasTest is Release2Fixture {
    function _prices(uint256 k) internal pure returns (uint256[] memory p) {
        p = new uint256[](k);
        for (uint256 i = 0; i < k; i++) {
            p[i] = 1000 + i;
        }
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i = 0; i < data.length; i++) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    function _claimGas(IntermediaryRelease2 c, IntermediaryRelease2.Redemption[] memory vouchers)
        internal
        returns (uint256 used, uint256 txGas)
    {
        vm.cool(address(c));
        vm.prank(operator);
        uint256 before = gasleft();
        c.claim(1, vouchers);
        used = before - gasleft();
        txGas = 21_000 + _calldataGas(abi.encodeCall(IntermediaryRelease2.claim, (1, vouchers))) + used;
    }

    function testGasOfClaim() public {
        uint256[3] memory ks = [uint256(1), 4, 16];
        for (uint256 i = 0; i < 3; i++) {
            uint256 k = ks[i];
            IntermediaryRelease2 c = _create2(_prices(k), 100 ether, _noSla());
            IntermediaryRelease2.Redemption[] memory vouchers = new IntermediaryRelease2.Redemption[](k);
            for (uint256 j = 0; j < k; j++) {
                vouchers[j] = _v(c, 1, uint8(j), 1000, 1000);
            }
            (uint256 first, uint256 firstTx) = _claimGas(c, vouchers);
            for (uint256 j = 0; j < k; j++) {
                vouchers[j] = _v(c, 1, uint8(j), 2000, 2000);
            }
            (uint256 steady, uint256 steadyTx) = _claimGas(c, vouchers);
            string memory kk = vm.toString(k);
            console.log(string.concat("gas claim k=", kk, " steady state:"), steady);
            console.log(string.concat("gas claim k=", kk, " steady state, transaction (base + calldata):"), steadyTx);
            console.log(string.concat("gas claim k=", kk, " first claim:"), first);
            console.log(string.concat("gas claim k=", kk, " first claim, transaction (base + calldata):"), firstTx);
            assertTrue(steady < first, "a steady-state claim writes no new slot");
        }
    }

    function testGasOfStartEpoch() public {
        IntermediaryRelease2 c = _create2(_prices(4), 1 ether, _noSla());
        vm.cool(address(c));
        vm.prank(operator);
        uint256 before = gasleft();
        c.startEpoch(_prices(4));
        console.log("gas startEpoch k=4 same table:", before - gasleft());
        vm.warp(block.timestamp + T_R);
        uint256[] memory next = _prices(4);
        next[0] = 999;
        vm.cool(address(c));
        vm.prank(operator);
        before = gasleft();
        c.startEpoch(next);
        console.log("gas startEpoch k=4 new table:", before - gasleft());
        vm.warp(block.timestamp + T_R);
        vm.cool(address(c));
        vm.prank(owner);
        before = gasleft();
        c.rotateSigner(address(0x5EED));
        console.log("gas rotateSigner (starts an epoch, same table):", before - gasleft());
        vm.cool(address(c));
        vm.prank(payout);
        before = gasleft();
        c.replaceOperator(address(0x0FF));
        console.log("gas replaceOperator:", before - gasleft());
    }

    function testGasOfTheSla() public {
        IntermediaryRelease2 c = _create2(_prices(2), 1 ether, _terms2(2, PERIOD));
        uint64 start = uint64(block.timestamp);
        vm.deal(payout, 1 ether);
        vm.prank(payout);
        c.depositCollateral{value: 1 ether}(1 ether);
        vm.warp(start + WINDOW);
        IntermediaryRelease2.WindowReport[] memory two =
            _reps(_rep(c, MONITOR1_KEY, 0, 9400), _rep(c, MONITOR2_KEY, 0, 9400));
        IntermediaryRelease2.WindowReport[] memory one = _reps(_rep(c, MONITOR3_KEY, 0, 9400));
        vm.cool(address(c));
        uint256 before = gasleft();
        c.addReports(0, two);
        console.log("gas addReports 2 reports (first of the window):", before - gasleft());
        vm.cool(address(c));
        before = gasleft();
        c.addReports(0, one);
        console.log("gas addReports 1 report (third of the window):", before - gasleft());
        vm.cool(address(c));
        before = gasleft();
        c.settleWindow(0);
        console.log("gas settleWindow 3 reports, penalty paid:", before - gasleft());
        assertEq(c.state().collateral, 0.7 ether, "penalty paid");

        vm.warp(start + 2 * WINDOW + 10);
        c.addReports(1, _reps(_rep(c, MONITOR1_KEY, 1, 9400)));
        vm.cool(address(c));
        vm.prank(payout);
        before = gasleft();
        c.close();
        console.log("gas close holding collateral for 2 windows (ended and running):", before - gasleft());
        vm.warp(start + 3 * WINDOW + 2 * PERIOD);
        vm.cool(address(c));
        before = gasleft();
        c.releaseCollateral();
        console.log("gas releaseCollateral:", before - gasleft());
    }

    /// A DemoUsd channel funded with one permit in one transaction, against approve-then-deposit's two.
    function testGasOfPermitFunding() public {
        DemoUsd usd = new DemoUsd();
        vm.prank(owner);
        usd.faucet(1_000e6);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 typehash =
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usd.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(typehash, owner, address(factory), 100e6, 0, deadline))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, digest);
        Intermediary.Params memory p = _params(address(usd), _prices(4), _noSla());
        vm.cool(address(usd));
        vm.cool(address(factory));
        vm.prank(owner);
        uint256 before = gasleft();
        address c = factory.createChannelWithPermit(p, 100e6, deadline, v, r, s);
        console.log("gas createChannelWithPermit k=4 (DemoUsd, release 2):", before - gasleft());

        digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usd.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(typehash, owner, address(factory), 10e6, 1, deadline))
            )
        );
        (v, r, s) = vm.sign(OWNER_KEY, digest);
        vm.cool(address(usd));
        vm.cool(address(factory));
        vm.cool(c);
        vm.prank(owner);
        before = gasleft();
        factory.depositWithPermit(c, 10e6, deadline, v, r, s);
        console.log("gas depositWithPermit (DemoUsd):", before - gasleft());

        vm.cool(address(usd));
        vm.cool(c);
        vm.startPrank(owner);
        before = gasleft();
        usd.approve(c, 10e6);
        Intermediary(c).deposit(10e6);
        uint256 used = before - gasleft();
        vm.stopPrank();
        console.log("gas approve + deposit (DemoUsd, two transactions without their bases):", used);
        assertEq(Intermediary(c).state().unredeemed, 120e6, "all three deposits");
    }
}
