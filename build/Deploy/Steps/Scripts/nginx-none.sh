# step nginx (SwitchNginx) without an upstream file or a switch command: Nginx is not this deploy's business.
echo 'no nginxUpstreamFile configured: traffic is not switched by Nginx'
