//! The SQLite database holds merchants' sales: its file is created readable by its owner only.

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_is_created_with_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("data").join("commerce-sync.db");
    let store = store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.ensure_client("mode-test").await.unwrap();
    for file in [path.clone(), path.with_extension("db-wal")] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}: {mode:o}", file.display());
    }
}
