// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IReleaseRegistry
/// @notice The append-only list of Intermediary implementations a channel may be created with or upgraded to.
interface IReleaseRegistry {
    /// @notice Whether `implementation` was ever registered as a release.
    function isRelease(address implementation) external view returns (bool);
}
