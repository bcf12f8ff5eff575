// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryFactory} from "../../main/solidity/IntermediaryFactory.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {console} from "./Cheats.sol";
import {Release2Fixture} from "./Release2Fixtures.sol";

/// The factory's batch claim: one failing channel does not revert the others; gas per channel for 1, 10 and 50
/// channels in one transaction, logged as `gas claimMany <n> channels ...: <gas>` for scripts/gas-report.sh.
contract ClaimManyTest is Release2Fixture {
    function _call(IntermediaryRelease2 c, uint64 count) internal view returns (IntermediaryFactory.ClaimCall memory) {
        return IntermediaryFactory.ClaimCall({channel: address(c), epoch: 1, vouchers: _r1(_v(c, 1, 0, count, count))});
    }

    function testOneFailingChannelDoesNotRevertTheOthers() public {
        IntermediaryRelease2 good1 = ch;
        IntermediaryRelease2 good2 = _create2(_prices2(1000, 2500), 1 ether, _noSla());
        IntermediaryRelease2 badSig = _create2(_prices2(1000, 2500), 1 ether, _noSla());
        Intermediary.Params memory p = _params(address(0), _prices2(1000, 2500), _noSla());
        p.operator = address(0x0FF);
        vm.prank(owner);
        IntermediaryRelease2 notMine = IntermediaryRelease2(factory.createChannel{value: 1 ether}(p));
        address stranger = address(new IntermediaryRelease2()); // a contract the factory did not create

        IntermediaryFactory.ClaimCall[] memory calls = new IntermediaryFactory.ClaimCall[](6);
        calls[0] = _call(good1, 3);
        calls[1] = _call(badSig, 4);
        calls[1].vouchers[0].signature = _sign(0xBAD, bytes32(uint256(1)));
        calls[2] = IntermediaryFactory.ClaimCall({channel: stranger, epoch: 1, vouchers: _r1(_v(good1, 1, 0, 9, 9))});
        calls[3] = _call(notMine, 5);
        calls[4] =
            IntermediaryFactory.ClaimCall({channel: address(channel), epoch: 1, vouchers: _r1(_v(good1, 1, 0, 9, 9))}); // release 1: no claimFor
        calls[5] = _call(good2, 6);

        vm.expectEmit(true, true, true, true);
        emit IntermediaryFactory.ClaimFailed(
            stranger, 1, abi.encodeWithSelector(IntermediaryFactory.NotAChannel.selector, stranger)
        );
        vm.expectEmit(true, true, true, true);
        emit IntermediaryFactory.ClaimFailed(
            address(notMine), 1, abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, operator)
        );
        vm.prank(operator);
        uint256[] memory amounts = factory.claimMany(calls);
        assertEq(amounts.length, 6, "one amount per call");
        assertEq(amounts[0], 3000, "good 1 paid");
        assertEq(amounts[1], 0, "bad signature: 0");
        assertEq(amounts[2], 0, "not a channel: 0");
        assertEq(amounts[3], 0, "not the caller's: 0");
        assertEq(amounts[4], 0, "a release-1 channel: 0");
        assertEq(amounts[5], 6000, "good 2 paid");
        assertEq(good1.state().earnings, 3000, "good 1's earnings");
        assertEq(good2.state().earnings, 6000, "good 2's earnings");
        assertEq(badSig.state().earnings, 0, "nothing claimed on the bad one");
        (uint64[] memory counts,) = badSig.redeemedCounts(1);
        assertEq(counts[0], 0, "no count recorded on the bad one");
        assertEq(notMine.state().earnings, 0, "nothing claimed on another operator's");
        _balanced(good1);
        _balanced(good2);

        // the payout may batch its own channels too; a stranger's batch pays nothing
        IntermediaryFactory.ClaimCall[] memory again = new IntermediaryFactory.ClaimCall[](1);
        again[0] = _call(good1, 7);
        vm.prank(address(0xCAFE));
        amounts = factory.claimMany(again);
        assertEq(amounts[0], 0, "a stranger claims nothing");
        vm.prank(payout);
        amounts = factory.claimMany(again);
        assertEq(amounts[0], 4000, "the payout's batch");
        vm.prank(operator);
        amounts = factory.claimMany(new IntermediaryFactory.ClaimCall[](0));
        assertEq(amounts.length, 0, "an empty batch");
    }

    function testTheSameChannelTwiceInABatchClaimsOnceWithoutRevertingTheBatch() public {
        IntermediaryFactory.ClaimCall[] memory calls = new IntermediaryFactory.ClaimCall[](2);
        calls[0] = _call(ch, 5);
        calls[1] = _call(ch, 5);
        vm.prank(operator);
        uint256[] memory amounts = factory.claimMany(calls);
        assertEq(amounts[0], 5000, "first");
        assertEq(amounts[1], 0, "the repeat is refused (ClaimNotAbove), the batch is not");
        assertEq(ch.state().earnings, 5000, "paid once");
    }

    /// Calldata gas of a transaction's data (EIP-2028: 4 per zero byte, 16 per other byte).
    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i = 0; i < data.length; i++) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    function _measure(uint256 n) internal {
        IntermediaryRelease2[] memory cs = new IntermediaryRelease2[](n);
        IntermediaryFactory.ClaimCall[] memory calls = new IntermediaryFactory.ClaimCall[](n);
        for (uint256 i = 0; i < n; i++) {
            cs[i] = _create2(_prices2(1000, 2500), 1 ether, _noSla());
            calls[i] = _call(cs[i], 10);
        }
        // first claims: each category's count goes from 0 to non-zero
        for (uint256 i = 0; i < n; i++) {
            vm.cool(address(cs[i]));
        }
        vm.cool(address(factory));
        vm.prank(operator);
        uint256 before = gasleft();
        factory.claimMany(calls);
        uint256 first = before - gasleft();
        // steady state: a later claim on the same epoch
        for (uint256 i = 0; i < n; i++) {
            calls[i] = _call(cs[i], 20);
            vm.cool(address(cs[i]));
        }
        vm.cool(address(factory));
        vm.prank(operator);
        before = gasleft();
        uint256[] memory amounts = factory.claimMany(calls);
        uint256 steady = before - gasleft();
        for (uint256 i = 0; i < n; i++) {
            assertEq(amounts[i], 10_000, "each channel paid its difference");
        }
        uint256 txGas = 21_000 + _calldataGas(abi.encodeCall(IntermediaryFactory.claimMany, (calls))) + steady;
        string memory label = string.concat("gas claimMany ", vm.toString(n), " channels");
        console.log(string.concat(label, " per channel:"), steady / n);
        console.log(string.concat(label, " first claim per channel:"), first / n);
        console.log(string.concat(label, " per channel incl. 21000 base and calldata:"), txGas / n);
    }

    function testGasOfClaimManyPerChannel() public {
        _measure(1);
        _measure(10);
        _measure(50);
    }
}
