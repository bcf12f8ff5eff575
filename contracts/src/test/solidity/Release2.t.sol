// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryFactory} from "../../main/solidity/IntermediaryFactory.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {IntermediaryRelease3, Release2Fixture} from "./Release2Fixtures.sol";
import {console} from "./Cheats.sol";

/// Release 2's one-step claims, epochs, rotations, operator replacement, close and consented upgrades.
contract Release2Test is Release2Fixture {
    // the ERC-7201 base slot of IntermediaryStorage; `prices` is its field 14
    uint256 internal constant STORAGE_BASE = 0x133fe902d4e4916405fc839340cff6967dee66ded6746c9dd6b4d3e225ffc200;
    uint256 internal constant PRICES_FIELD = 14;

    function _storedTableLength(IntermediaryRelease2 c, uint64 epoch) internal view returns (uint256) {
        bytes32 slot = keccak256(abi.encode(uint256(epoch), STORAGE_BASE + PRICES_FIELD));
        return uint256(vm.load(address(c), slot));
    }

    function _claimRefused(
        address who,
        IntermediaryRelease2 c,
        uint64 epoch,
        IntermediaryRelease2.Redemption[] memory vs,
        bytes memory err
    ) internal {
        vm.prank(who);
        vm.expectRevert(err);
        c.claim(epoch, vs);
    }

    function _claimRefusedPartially(
        address who,
        IntermediaryRelease2 c,
        uint64 epoch,
        IntermediaryRelease2.Redemption[] memory vs,
        bytes4 selector
    ) internal {
        vm.prank(who);
        vm.expectPartialRevert(selector);
        c.claim(epoch, vs);
    }

    // ------------------------------------------------------------------------------------------- creation

    function testNewChannelsAreCreatedOnRelease2() public view {
        assertEq(ch.release(), 2, "release()");
        assertEq(factory.latestRelease(), address(release2), "latest release");
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.implementation, address(release2), "implementation");
        assertEq(s.activeEpoch, 1, "epoch 1");
        assertEq(s.unredeemed, 1 ether, "deposit");
        assertEq(s.signer, signer, "signer");
        assertEq(s.operator, operator, "operator");
        (uint64 oldest, uint256 claimedValue, uint256 total) = ch.credit();
        assertEq(oldest, 1, "credit from epoch 1");
        assertEq(claimedValue, 0, "nothing claimed");
        assertEq(total, 1 ether, "credit = deposit");
        assertEq(_storedTableLength(ch, 1), 2, "epoch 1's table is stored (the slot computation is right)");
        _balanced(ch);
    }

    function testRelease2CannotBeInitialisedAgain() public {
        // the implementation itself and a live channel both refuse
        Intermediary.Params memory p = _params(address(0), _prices2(1, 2), _noSla());
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        IntermediaryRelease2(address(release2)).initialize(_asR2(p), address(factory));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        ch.initialize(_asR2(p), address(factory));
    }

    function _asR2(Intermediary.Params memory p) internal pure returns (IntermediaryRelease2.Params memory q) {
        bytes memory raw = abi.encode(p);
        q = abi.decode(raw, (IntermediaryRelease2.Params));
    }

    // --------------------------------------------------------------------------------------------- claims

    function testAClaimPaysTheDifferenceToTheWeiAcrossSeveralClaims() public {
        uint64[] memory counts = new uint64[](2);
        counts[0] = 7;
        counts[1] = 3;
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.Claimed(1, counts, 7 * 1000 + 3 * 2500);
        uint256 paid = _claimAs(operator, ch, 1, _r2(_v(ch, 1, 0, 7, 7), _v(ch, 1, 1, 3, 3)));
        assertEq(paid, 14_500, "first claim");

        // a better voucher of category 0, and one of category 1 claimed below its count
        paid = _claimAs(operator, ch, 1, _r2(_v(ch, 1, 0, 12, 12), _v(ch, 1, 1, 10, 8)));
        assertEq(paid, 5 * 1000 + 5 * 2500, "second claim pays the difference");
        // the rest of category 1's voucher, by the payout
        paid = _claimAs(payout, ch, 1, _r1(_v(ch, 1, 1, 10, 10)));
        assertEq(paid, 2 * 2500, "third claim pays the rest");

        IntermediaryRelease2.State memory s = ch.state();
        uint256 value = 12 * 1000 + 10 * 2500;
        assertEq(s.earnings, value, "earnings = the best vouchers' value, to the wei");
        assertEq(s.unredeemed, 1 ether - value, "deposit less the value");
        assertEq(s.activeEpoch, 1, "the epoch stays open");
        (uint64[] memory claimed, bool redeemed) = ch.redeemedCounts(1);
        assertEq(claimed[0], 12, "claimed 0");
        assertEq(claimed[1], 10, "claimed 1");
        assertTrue(!redeemed, "not a release-1 finished epoch");
        (uint64 oldest, uint256 claimedValue, uint256 total) = ch.credit();
        assertEq(oldest, 1, "oldest open epoch");
        assertEq(claimedValue, value, "claimed value");
        assertEq(total, 1 ether, "credit: deposit + claimed value");
        _balanced(ch);

        ch.withdraw();
        assertEq(payout.balance, value, "payout paid exactly");
        _balanced(ch);
    }

    function testAClaimOfTheSameOrALowerCountIsRefused() public {
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 7, 7)));
        _claimRefused(
            operator,
            ch,
            1,
            _r1(_v(ch, 1, 0, 7, 7)),
            abi.encodeWithSelector(IntermediaryRelease2.ClaimNotAbove.selector, 0, 7, 7)
        );
        _claimRefused(
            operator,
            ch,
            1,
            _r1(_v(ch, 1, 0, 9, 5)),
            abi.encodeWithSelector(IntermediaryRelease2.ClaimNotAbove.selector, 0, 7, 5)
        );
        // a claim of 0 on a fresh category is not above 0 either
        _claimRefused(
            operator,
            ch,
            1,
            _r1(_v(ch, 1, 1, 4, 0)),
            abi.encodeWithSelector(IntermediaryRelease2.ClaimNotAbove.selector, 1, 0, 0)
        );
        _claimRefused(
            operator,
            ch,
            1,
            _r1(_v(ch, 1, 0, 10, 11)),
            abi.encodeWithSelector(IntermediaryRelease2.ClaimAboveCount.selector, 11, 10)
        );
        // one refused category refuses the whole claim
        _claimRefused(
            operator,
            ch,
            1,
            _r2(_v(ch, 1, 1, 4, 4), _v(ch, 1, 0, 7, 7)),
            abi.encodeWithSelector(IntermediaryRelease2.ClaimNotAbove.selector, 0, 7, 7)
        );
        assertEq(ch.state().earnings, 7000, "only the first claim paid");
    }

    function testAStrangerCannotClaimAndThePayoutMay() public {
        IntermediaryRelease2.Redemption[] memory vs = _r1(_v(ch, 1, 0, 7, 7));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, address(this)));
        ch.claim(1, vs);
        _claimRefused(
            owner, ch, 1, vs, abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, owner)
        );
        _claimRefused(
            signer, ch, 1, vs, abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, signer)
        );
        assertEq(_claimAs(payout, ch, 1, vs), 7000, "the payout claims");
        // claimFor is the factory's alone
        IntermediaryRelease2.Redemption[] memory more = _r1(_v(ch, 1, 0, 8, 8));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotFactory.selector, address(this)));
        ch.claimFor(operator, 1, more);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotFactory.selector, operator));
        ch.claimFor(operator, 1, more);
    }

    function testAClaimOnAClosedChannelIsRefused() public {
        IntermediaryRelease2.Redemption[] memory vs = _r1(_v(ch, 1, 0, 7, 7));
        vm.prank(payout);
        ch.close();
        _claimRefused(operator, ch, 1, vs, abi.encodeWithSelector(IntermediaryRelease2.ChannelClosed.selector));
        _claimRefused(payout, ch, 1, vs, abi.encodeWithSelector(IntermediaryRelease2.ChannelClosed.selector));
    }

    function testAClaimNeedsAKnownEpochVouchersAndKnownCategoriesOnce() public {
        IntermediaryRelease2.Redemption[] memory vs = _r1(_v(ch, 1, 0, 7, 7));
        IntermediaryRelease2.Redemption[] memory unknown = _r1(_v(ch, 1, 2, 1, 1));
        IntermediaryRelease2.Redemption[] memory twice = _r2(_v(ch, 1, 0, 5, 5), _v(ch, 1, 0, 6, 6));
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.UnknownEpoch.selector, 0, 1));
        ch.claim(0, vs);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.UnknownEpoch.selector, 2, 1));
        ch.claim(2, vs);
        vm.expectRevert(IntermediaryRelease2.NothingToClaim.selector);
        ch.claim(1, new IntermediaryRelease2.Redemption[](0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.UnknownCategory.selector, 2, 2));
        ch.claim(1, unknown);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.DuplicateCategory.selector, 0));
        ch.claim(1, twice);
        vm.stopPrank();
    }

    function testAClaimIsCappedAtTheUnredeemedDeposit() public {
        IntermediaryRelease2 small = _create2(_prices2(1 ether, 1), 1.5 ether, _noSla());
        assertEq(_claimAs(operator, small, 1, _r1(_v(small, 1, 0, 3, 3))), 1.5 ether, "capped");
        IntermediaryRelease2.State memory s = small.state();
        assertEq(s.earnings, 1.5 ether, "earnings");
        assertEq(s.unredeemed, 0, "nothing left");
        _balanced(small);
    }

    function testForgedVouchersAreRefused() public {
        // another key
        _claimRefused(
            operator,
            ch,
            1,
            _r1(_vBy(0xBAD, ch, 1, 0, 5, 5)),
            abi.encodeWithSelector(IntermediaryRelease2.WrongSigner.selector, vm.addr(0xBAD), signer)
        );
        // a voucher of another channel
        IntermediaryRelease2 other = _create2(_prices2(1000, 2500), 1 ether, _noSla());
        _claimRefusedPartially(operator, ch, 1, _r1(_v(other, 1, 0, 5, 5)), IntermediaryRelease2.WrongSigner.selector);
        // a count other than the signed one
        IntermediaryRelease2.Redemption memory v = _v(ch, 1, 0, 5, 5);
        v.count = 50;
        v.claimed = 50;
        _claimRefusedPartially(operator, ch, 1, _r1(v), IntermediaryRelease2.WrongSigner.selector);
        // an epoch-2 voucher passed off as epoch 1
        vm.prank(operator);
        ch.startEpoch(_prices2(1000, 2500));
        _claimRefusedPartially(operator, ch, 1, _r1(_v(ch, 2, 0, 5, 5)), IntermediaryRelease2.WrongSigner.selector);
    }

    function testAHighSVoucherSignatureIsRefused() public {
        IntermediaryRelease2.Redemption memory v = _v(ch, 1, 0, 5, 5);
        (bytes memory malleated, bytes32 highS) = _highS(v.signature);
        v.signature = malleated;
        _claimRefused(operator, ch, 1, _r1(v), abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        v.signature = abi.encodePacked(bytes32(0), bytes32(uint256(1)), uint8(27));
        _claimRefused(operator, ch, 1, _r1(v), abi.encodeWithSelector(ECDSA.ECDSAInvalidSignature.selector));
    }

    // --------------------------------------------------------------------------------------------- epochs

    function testStartEpochWithTheSamePricesStoresNoNewTable() public {
        uint256[] memory same = _prices2(1000, 2500);
        vm.cool(address(ch));
        vm.prank(operator);
        uint256 before = gasleft();
        ch.startEpoch(same);
        uint256 sameGas = before - gasleft();
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.activeEpoch, 2, "epoch 2");
        assertEq(s.expiringEpoch, 1, "epoch 1 expiring");
        assertEq(s.expiringUntil, block.timestamp + T_R, "for T_r");
        (uint256[] memory prices, bytes32 tableHash) = ch.pricesOf(2);
        assertEq(prices.length, 2, "the table of epoch 2 reads as epoch 1's");
        assertEq(prices[0], 1000, "price 0");
        assertEq(prices[1], 2500, "price 1");
        assertEq(tableHash, ch.priceTableHash(same), "hash");
        assertEq(s.activePriceTableHash, tableHash, "state's hash");
        assertEq(s.activePrices[1], 2500, "state's prices");
        assertEq(_storedTableLength(ch, 2), 0, "no table stored for epoch 2");

        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        ch.startEpoch(same);
        assertEq(_storedTableLength(ch, 3), 0, "nor for epoch 3 (its source is epoch 1)");
        (prices,) = ch.pricesOf(3);
        assertEq(prices[0], 1000, "epoch 3 reads epoch 1's table");
        // vouchers of all three epochs pay at the table
        _claimAs(operator, ch, 3, _r2(_v(ch, 3, 0, 2, 2), _v(ch, 3, 1, 1, 1)));
        _claimAs(operator, ch, 2, _r1(_v(ch, 2, 1, 2, 2)));
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 1, 1)));
        assertEq(ch.state().earnings, 2000 + 2500 + 5000 + 1000, "paid at the table");
        (uint64[] memory counts,) = ch.redeemedCounts(3);
        assertEq(counts.length, 2, "counts per category of the source table");

        // a new table costs its storage: about one 20k SSTORE per price more (its length replaces the source)
        vm.warp(block.timestamp + T_R);
        vm.cool(address(ch));
        vm.prank(operator);
        before = gasleft();
        ch.startEpoch(_prices2(1001, 2501));
        uint256 newGas = before - gasleft();
        console.log("gas startEpoch same table:", sameGas);
        console.log("gas startEpoch new table:", newGas);
        assertTrue(newGas > sameGas + 35_000, "the same table is not stored again");
        _balanced(ch);
    }

    function testStartEpochWithNewPricesStoresThem() public {
        uint256[] memory next = new uint256[](3);
        next[0] = 1100;
        next[1] = 2600;
        next[2] = 7;
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.EpochStarted(1, uint64(block.timestamp) + T_R, 2, keccak256(abi.encodePacked(next)));
        vm.prank(payout); // the payout may start epochs too
        ch.startEpoch(next);
        (uint256[] memory prices, bytes32 tableHash) = ch.pricesOf(2);
        assertEq(prices.length, 3, "3 categories");
        assertEq(prices[2], 7, "new price");
        assertEq(tableHash, keccak256(abi.encodePacked(next)), "hash");
        assertEq(_storedTableLength(ch, 2), 3, "stored");
        assertEq(ch.signerOf(2), signer, "same signer");
        (prices,) = ch.pricesOf(1);
        assertEq(prices[0], 1000, "epoch 1 keeps its table");
        _claimAs(operator, ch, 2, _r2(_v(ch, 2, 2, 3, 3), _v(ch, 2, 0, 1, 1)));
        assertEq(ch.state().earnings, 3 * 7 + 1100, "new prices");
        // epoch 1 claims at its prices, during the tolerance and after it
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 1, 1)));
        vm.warp(block.timestamp + 10 * T_R);
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 2, 2)));
        assertEq(ch.state().earnings, 3 * 7 + 1100 + 2000, "old prices for epoch 1");
        (uint64 oldest, uint256 claimedValue, uint256 total) = ch.credit();
        assertEq(oldest, 1, "both epochs open");
        assertEq(claimedValue, 3 * 7 + 1100 + 2000, "claimed value over both epochs");
        assertEq(total, 1 ether, "credit");
        assertTrue(ch.state().expiringEpoch == 0, "state hides the expiring epoch after T_r");
    }

    function testAnEpochChangeDuringTheToleranceIsRefused() public {
        vm.prank(operator);
        ch.startEpoch(_prices2(1000, 2500));
        uint64 until = uint64(block.timestamp) + T_R;
        vm.warp(until - 1);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.EpochExpiring.selector, 1, until));
        ch.startEpoch(_prices2(1, 1));
        vm.prank(payout);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.EpochExpiring.selector, 1, until));
        ch.startEpoch(_prices2(1, 1));
        vm.warp(until);
        vm.prank(operator);
        ch.startEpoch(_prices2(1, 1));
        assertEq(ch.state().activeEpoch, 3, "after T_r");
    }

    function testNoEpochStartsAfterACloseRequest() public {
        vm.prank(owner);
        ch.requestClose();
        uint64 closeAt = uint64(block.timestamp) + T_C;
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.CloseIsRequested.selector, closeAt));
        ch.startEpoch(_prices2(1000, 2500));
        // a rotation is kept for later but starts no epoch
        vm.prank(owner);
        ch.rotateSigner(address(0x5EED));
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.activeEpoch, 1, "no new epoch");
        assertEq(s.pendingSigner, address(0x5EED), "pending");
        // claims go on until the close
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 3, 3)));
        vm.warp(closeAt);
        vm.prank(owner);
        ch.close();
        vm.prank(operator);
        vm.expectRevert(IntermediaryRelease2.ChannelClosed.selector);
        ch.startEpoch(_prices2(1000, 2500));
        assertEq(owner.balance, 100 ether - 3000, "owner got the rest back");
    }

    function testStartEpochNeedsATableAndTheOperatorOrPayout() public {
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, address(this)));
        ch.startEpoch(_prices2(1, 2));
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.BadPriceTable.selector, 0));
        ch.startEpoch(new uint256[](0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.BadPriceTable.selector, 17));
        ch.startEpoch(new uint256[](17));
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------ rotations

    function testRotateSignerStartsANewEpochAndOldEpochVouchersStillClaim() public {
        uint256 newKey = 0x5162;
        IntermediaryRelease2.Redemption[] memory old = _r1(_v(ch, 1, 0, 4, 4));
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.SignerRotated(2, vm.addr(newKey));
        vm.prank(owner);
        ch.rotateSigner(vm.addr(newKey));
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.activeEpoch, 2, "a new epoch at once");
        assertEq(s.expiringEpoch, 1, "epoch 1 expiring");
        assertEq(s.signer, vm.addr(newKey), "new signer active");
        assertEq(s.pendingSigner, address(0), "nothing pending");
        assertEq(ch.signerOf(1), signer, "epoch 1 keeps its signer");
        assertEq(_storedTableLength(ch, 2), 0, "same table, not stored again");
        assertEq(s.activePriceTableHash, ch.priceTableHash(_prices2(1000, 2500)), "same table");

        vm.warp(block.timestamp + 5 * T_R);
        _claimAs(operator, ch, 1, old);
        _claimAs(operator, ch, 2, _r1(_vBy(newKey, ch, 2, 1, 2, 2)));
        assertEq(ch.state().earnings, 4000 + 5000, "both signers' vouchers paid in their epochs");
        // the old key's vouchers do not count in the new epoch
        _claimRefused(
            operator,
            ch,
            2,
            _r1(_v(ch, 2, 0, 9, 9)),
            abi.encodeWithSelector(IntermediaryRelease2.WrongSigner.selector, signer, vm.addr(newKey))
        );
    }

    function testARotationDuringTheToleranceTakesEffectWithTheNextEpoch() public {
        vm.prank(operator);
        ch.startEpoch(_prices2(1000, 2500));
        vm.prank(owner);
        ch.rotateSigner(address(0x5EED));
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.activeEpoch, 2, "no epoch during the tolerance");
        assertEq(s.pendingSigner, address(0x5EED), "pending");
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        ch.startEpoch(_prices2(1000, 2500));
        assertEq(ch.signerOf(3), address(0x5EED), "taken with epoch 3");
        assertEq(ch.signerOf(2), signer, "epoch 2 keeps the old signer");
        assertEq(ch.state().pendingSigner, address(0), "pending cleared");
    }

    function testRotateSignerIsTheOwnersOnOpenChannels() public {
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, address(this)));
        ch.rotateSigner(address(1));
        vm.prank(payout);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, payout));
        ch.rotateSigner(address(1));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ZeroAddress.selector, "signer"));
        ch.rotateSigner(address(0));
        vm.prank(payout);
        ch.close();
        vm.prank(owner);
        vm.expectRevert(IntermediaryRelease2.ChannelClosed.selector);
        ch.rotateSigner(address(1));
    }

    // ---------------------------------------------------------------------------------- operator replaced

    function testPayoutReplacesALeakedOperatorWhichThenCanDoNothing() public {
        address next = address(0x0FF);
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.OperatorReplaced(operator, next);
        vm.prank(payout);
        ch.replaceOperator(next);
        assertEq(ch.state().operator, next, "replaced at once");

        IntermediaryRelease2.Redemption[] memory vs = _r1(_v(ch, 1, 0, 7, 7));
        IntermediaryRelease2.Redemption[] memory unknown = _r1(_v(ch, 1, 2, 1, 1));
        IntermediaryRelease2.Redemption[] memory twice = _r2(_v(ch, 1, 0, 5, 5), _v(ch, 1, 0, 6, 6));
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, operator));
        ch.claim(1, vs);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOperatorOrPayout.selector, operator));
        ch.startEpoch(_prices2(0, 0));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotPayout.selector, operator));
        ch.replaceOperator(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, operator));
        ch.rotateSigner(operator);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, operator));
        ch.requestClose();
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwnerOrPayout.selector, operator));
        ch.close();
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotFactory.selector, operator));
        ch.claimFor(operator, 1, vs);
        // through the factory's batch: the claim fails, nothing is paid
        IntermediaryFactory.ClaimCall[] memory calls = new IntermediaryFactory.ClaimCall[](1);
        calls[0] = IntermediaryFactory.ClaimCall({channel: address(ch), epoch: 1, vouchers: vs});
        uint256[] memory amounts = factory.claimMany(calls);
        assertEq(amounts[0], 0, "batch claim refused");
        // its own consent is no consent
        bytes memory own = _sign(OPERATOR_KEY, ch.upgradeConsentDigest(address(release2), keccak256(""), 0, 1 days));
        vm.expectPartialRevert(IntermediaryRelease2.BadConsent.selector);
        ch.upgradeWithConsent(address(release2), "", 1 days, own, own);
        vm.stopPrank();

        assertEq(ch.state().earnings, 0, "the old key claimed nothing");
        vm.prank(next);
        assertEq(ch.claim(1, vs), 7000, "the new operator claims");

        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotPayout.selector, address(this)));
        ch.replaceOperator(address(1));
        vm.prank(payout);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ZeroAddress.selector, "operator"));
        ch.replaceOperator(address(0));
    }

    /// The leaked key does its worst before the payout notices: claims with low counts and opens an epoch
    /// priced 0. Nothing is lost: the rest is claimed to the wei, the prices are restored after T_r.
    function testALeakedOperatorCannotDestroyRevenue() public {
        // what the gateway holds: the consumer's best vouchers of epoch 1
        IntermediaryRelease2.Redemption memory best0 = _v(ch, 1, 0, 100, 100);
        IntermediaryRelease2.Redemption memory best1 = _v(ch, 1, 1, 40, 40);
        uint256 value = 100 * 1000 + 40 * 2500;

        IntermediaryRelease2.Redemption memory low0 = _v(ch, 1, 0, 100, 1);
        IntermediaryRelease2.Redemption memory low1 = _v(ch, 1, 1, 40, 1);
        vm.startPrank(operator); // the leaked key
        ch.claim(1, _r2(low0, low1));
        ch.startEpoch(_prices2(0, 0));
        ch.withdraw(); // pays the payout, not the caller
        vm.stopPrank();
        assertEq(operator.balance, 0, "the leaked key got nothing");
        assertEq(payout.balance, 3500, "the low claim went to the payout");

        address next = address(0x0FF);
        vm.prank(payout);
        ch.replaceOperator(next);
        assertEq(_claimAs(next, ch, 1, _r2(best0, best1)), value - 3500, "the rest of epoch 1, to the wei");
        vm.warp(block.timestamp + T_R);
        vm.prank(next);
        ch.startEpoch(_prices2(1000, 2500));
        (uint256[] memory prices,) = ch.pricesOf(3);
        assertEq(prices[1], 2500, "prices restored");
        _claimAs(next, ch, 3, _r1(_v(ch, 3, 1, 2, 2)));

        ch.withdraw();
        assertEq(payout.balance, value + 5000, "the provider is paid everything its vouchers are worth");
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.unredeemed, 1 ether - value - 5000, "the consumer paid exactly that");
        assertEq(s.earnings, 0, "all withdrawn");
        _balanced(ch);
    }

    // -------------------------------------------------------------------------------------------- closing

    function testCloseWithoutSlaHoldsNothing() public {
        vm.expectRevert(IntermediaryRelease2.ChannelOpen.selector);
        ch.releaseCollateral();
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 5, 5)));
        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.Closed(payout, 1 ether - 5000, 5000);
        vm.prank(payout);
        ch.close();
        assertEq(ch.heldUntil(), 0, "nothing held");
        vm.expectRevert(IntermediaryRelease2.NothingHeld.selector);
        ch.releaseCollateral();
        vm.prank(payout);
        vm.expectRevert(IntermediaryRelease2.ChannelClosed.selector);
        ch.close();
        vm.prank(owner);
        vm.expectRevert(IntermediaryRelease2.ChannelClosed.selector);
        ch.deposit{value: 1}(1);
        vm.prank(owner);
        vm.expectRevert(IntermediaryRelease2.ChannelClosed.selector);
        ch.requestClose();
        _balanced(ch);
    }

    function testOwnerClosesOnlyOnceTheCloseIsDue() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.CloseNotDue.selector, 0, uint64(block.timestamp)));
        ch.close();
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwner.selector, address(this)));
        ch.requestClose();
        vm.prank(owner);
        ch.requestClose();
        uint64 closeAt = uint64(block.timestamp) + T_C;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.CloseAlreadyRequested.selector, closeAt));
        ch.requestClose();
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IntermediaryRelease2.CloseNotDue.selector, closeAt, uint64(block.timestamp))
        );
        ch.close();
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotOwnerOrPayout.selector, address(this)));
        ch.close();
        vm.warp(closeAt);
        uint256 before = owner.balance;
        vm.prank(owner);
        ch.close();
        assertEq(owner.balance - before, 1 ether, "refund");
        vm.expectRevert(IntermediaryRelease2.NothingToWithdraw.selector);
        ch.withdraw();
    }

    function testDepositsAndCollateral() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.WrongValue.selector, 5, 4));
        ch.deposit{value: 4}(5);
        vm.prank(owner);
        ch.deposit{value: 2 ether}(2 ether);
        assertEq(ch.state().totalDeposited, 3 ether, "total deposited");
        vm.deal(payout, 1 ether);
        vm.prank(payout);
        vm.expectRevert(IntermediaryRelease2.NoSla.selector);
        ch.depositCollateral{value: 1}(1);
        _balanced(ch);
    }

    // ------------------------------------------------------------------------------------------- upgrades

    function testAConsentReplayedWithOtherDataIsRefused() public {
        IntermediaryRelease3 release3 = new IntermediaryRelease3();
        factory.registerRelease(address(release3));
        _claimAs(operator, ch, 1, _r1(_v(ch, 1, 0, 9, 9)));
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signedData = abi.encodeCall(IntermediaryRelease3.version, ());
        (bytes memory byOwner, bytes memory byPayout) = _upgradeConsents(ch, address(release3), signedData, deadline);

        // whoever sends it cannot pick other data: none, or a call of its own
        vm.expectPartialRevert(IntermediaryRelease2.BadConsent.selector);
        ch.upgradeWithConsent(address(release3), "", deadline, byOwner, byPayout);
        bytes memory other = abi.encodeCall(IntermediaryRelease2.rotateSigner, (address(0xBAD)));
        vm.expectPartialRevert(IntermediaryRelease2.BadConsent.selector);
        ch.upgradeWithConsent(address(release3), other, deadline, byOwner, byPayout);
        // nor another release
        vm.expectPartialRevert(IntermediaryRelease2.BadConsent.selector);
        ch.upgradeWithConsent(address(release2), signedData, deadline, byOwner, byPayout);
        // nor another deadline
        vm.expectPartialRevert(IntermediaryRelease2.BadConsent.selector);
        ch.upgradeWithConsent(address(release3), signedData, deadline + 1, byOwner, byPayout);

        vm.expectEmit(true, true, true, true);
        emit IntermediaryRelease2.UpgradedWithConsent(address(release3), 0);
        ch.upgradeWithConsent(address(release3), signedData, deadline, byOwner, byPayout);
        assertEq(IntermediaryRelease3(address(ch)).version(), 3, "runs release 3");
        IntermediaryRelease2.State memory s = ch.state();
        assertEq(s.implementation, address(release3), "implementation slot");
        assertEq(s.earnings, 9000, "earnings kept");
        assertEq(s.unredeemed, 1 ether - 9000, "deposit kept");
        assertEq(ch.upgradeNonce(), 1, "nonce used");
        (uint64[] memory counts,) = ch.redeemedCounts(1);
        assertEq(counts[0], 9, "claimed counts kept");
        // the consents cannot be replayed (the nonce moved on)
        vm.expectPartialRevert(IntermediaryRelease2.BadConsent.selector);
        ch.upgradeWithConsent(address(release3), signedData, deadline, byOwner, byPayout);
        _balanced(ch);
    }

    function testAnUpgradeNeedsBothConsentsARegisteredReleaseAndTime() public {
        IntermediaryRelease3 release3 = new IntermediaryRelease3();
        uint256 deadline = block.timestamp + 1 hours;
        (bytes memory byOwner, bytes memory byPayout) = _upgradeConsents(ch, address(release3), "", deadline);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.NotARelease.selector, address(release3)));
        ch.upgradeWithConsent(address(release3), "", deadline, byOwner, byPayout);
        factory.registerRelease(address(release3));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.BadConsent.selector, owner, payout));
        ch.upgradeWithConsent(address(release3), "", deadline, byOwner, byOwner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.BadConsent.selector, payout, owner));
        ch.upgradeWithConsent(address(release3), "", deadline, byPayout, byPayout);
        (bytes memory highS,) = _highS(byOwner);
        vm.expectPartialRevert(ECDSA.ECDSAInvalidSignatureS.selector);
        ch.upgradeWithConsent(address(release3), "", deadline, highS, byPayout);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryRelease2.ConsentExpired.selector, deadline));
        ch.upgradeWithConsent(address(release3), "", deadline, byOwner, byPayout);
    }
}
