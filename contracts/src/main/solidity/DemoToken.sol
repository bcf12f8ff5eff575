// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DemoToken
/// @notice An ERC-20 with an open faucet, for the demo chain and tests: channels may be funded in a token
/// instead of ether. Never deploy it where its tokens are meant to be worth anything.
contract DemoToken is ERC20 {
    /// @notice The most one `faucet` call hands out.
    uint256 public constant FAUCET_LIMIT = 1_000_000 ether;

    /// @notice Asked the faucet for more than `FAUCET_LIMIT`.
    error FaucetLimitExceeded(uint256 asked, uint256 limit);

    constructor() ERC20("Tollgate Demo Token", "TGD") {}

    /// @notice Mints `amount` to the caller; emits {Transfer} from address(0).
    function faucet(uint256 amount) external {
        if (amount > FAUCET_LIMIT) revert FaucetLimitExceeded(amount, FAUCET_LIMIT);
        _mint(msg.sender, amount);
    }
}
