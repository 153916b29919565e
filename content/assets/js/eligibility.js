// Placeholder: filled by the eligibility form. Plain JS, same-origin /api/v1 calls only.
"use strict";
