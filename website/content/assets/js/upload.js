// Upload one file straight to storage with its presigned POST form: the form's fields first, the file
// last (as S3 requires), progress reported from XMLHttpRequest.upload as a fraction 0..1.
// Shared by the claim form and the claim status page.
"use strict";

window.uploadWithPresignedPost = function (form, file, onProgress) {
  return new Promise(function (resolve, reject) {
    var data = new FormData();
    Object.keys(form.fields).forEach(function (k) { data.append(k, form.fields[k]); });
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.url);
    xhr.upload.onprogress = function (ev) { if (ev.lengthComputable) onProgress(ev.loaded / ev.total); };
    xhr.onload = function () { (xhr.status >= 200 && xhr.status < 300 ? resolve : reject)(xhr.status); };
    xhr.onerror = function () { reject(0); };
    xhr.send(data);
  });
};
