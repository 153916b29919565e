// Placeholder: filled by the quote form. Plain JS, same-origin /api/v1 calls only.
"use strict";
