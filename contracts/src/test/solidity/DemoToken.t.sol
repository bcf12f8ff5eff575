// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {CheatTest} from "./Cheats.sol";
import {DemoToken} from "../../main/solidity/DemoToken.sol";

contract DemoTokenTest is CheatTest {
    DemoToken internal token;
    address internal alice = address(0xA11CE);

    function setUp() public {
        token = new DemoToken();
    }

    function testFaucetMintsToTheCaller() public {
        vm.prank(alice);
        token.faucet(5 ether);
        assertEq(token.balanceOf(alice), 5 ether, "alice's balance");
        assertEq(token.totalSupply(), 5 ether, "supply");
    }

    function testFaucetRefusesMoreThanItsLimit() public {
        uint256 limit = token.FAUCET_LIMIT();
        vm.expectRevert(abi.encodeWithSelector(DemoToken.FaucetLimitExceeded.selector, limit + 1, limit));
        token.faucet(limit + 1);
    }

    function testFuzzFaucetAddsUp(uint96 a, uint96 b) public {
        uint256 limit = token.FAUCET_LIMIT();
        uint256 first = uint256(a) % (limit + 1);
        uint256 second = uint256(b) % (limit + 1);
        vm.prank(alice);
        token.faucet(first);
        vm.prank(alice);
        token.faucet(second);
        assertEq(token.balanceOf(alice), first + second, "sum of two faucet calls");
    }
}
