// Placeholder: filled by the claim form. Plain JS, same-origin /api/v1 calls only.
"use strict";
