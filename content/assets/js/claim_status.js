// Placeholder: filled by the claim_status form. Plain JS, same-origin /api/v1 calls only.
"use strict";
